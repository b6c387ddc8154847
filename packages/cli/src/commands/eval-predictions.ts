import { type Command, Option } from '@commander-js/extra-typings';
import { evaluatePredictionFile, evaluationOptionsFor, formatConllevalTable } from '@lookright/text';
import { action } from '../run-command.js';

/**
 * `eval-predictions <file> --scheme conlleval|iob2|iob1|ioe|bioes [--mode default|strict] [--json]`: span P/R/F1 of
 * a conlleval-format prediction file, as conlleval.pl (conlleval) or seqeval (default / strict) score it.
 */
export function register(program: Command): void {
  program
    .command('eval-predictions')
    .description('score a prediction file (WORD ... GOLD PRED per line) with conlleval or seqeval span rules')
    .argument('<file>', "prediction file in conlleval's format")
    .addOption(
      new Option('--scheme <scheme>', 'conlleval, or the tag scheme for seqeval')
        .choices(['conlleval', 'iob2', 'iob1', 'ioe', 'bioes'] as const)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--mode <mode>', 'seqeval mode: default (lenient) or strict')
        .choices(['default', 'strict'] as const)
        .default('default' as const),
    )
    .option('--json', 'print {accuracy, precision, recall, f1, per_type, counts} as JSON (fractions)')
    .action(
      action((file, options) => {
        const report = evaluatePredictionFile(file, evaluationOptionsFor(options.scheme, options.mode));
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatConllevalTable(report));
      }),
    );
}
