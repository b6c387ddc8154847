interface SchemaNode {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
}

function typeOf(node: SchemaNode): string {
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (node.const !== undefined) return JSON.stringify(node.const);
  const alternatives = node.oneOf ?? node.anyOf;
  if (alternatives) return alternatives.map(typeOf).join(' | ');
  if (node.type === 'array' && node.items) return `${typeOf(node.items)}[]`;
  if (Array.isArray(node.type)) return node.type.join(' | ');
  return node.type ?? 'any';
}

/** A plugin's params schema as indented lines: `name  type  (required | default X)  description`. */
export function describeSchema(schema: object, indent = '  '): string {
  const root = schema as SchemaNode;
  const properties = root.properties ?? {};
  const names = Object.keys(properties);
  if (names.length === 0) return `${indent}(none)`;
  const required = new Set(root.required ?? []);
  return names
    .map((name) => {
      const node = properties[name];
      const bounds = [
        node.minimum !== undefined ? `>= ${node.minimum}` : '',
        node.maximum !== undefined ? `<= ${node.maximum}` : '',
        node.pattern ? `matches ${node.pattern}` : '',
      ].filter(Boolean);
      const status = required.has(name)
        ? 'required'
        : node.default !== undefined
          ? `default ${JSON.stringify(node.default)}`
          : 'optional';
      const line = `${indent}${name}: ${typeOf(node)}  (${[status, ...bounds].join(', ')})${node.description ? `  ${node.description}` : ''}`;
      const nested = node.type === 'object' && node.properties ? `\n${describeSchema(node, `${indent}  `)}` : '';
      return line + nested;
    })
    .join('\n');
}
