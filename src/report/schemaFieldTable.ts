import type { JsonSchemaNode } from './runReportSchema.js';

interface FieldRow {
  readonly path: string;
  readonly type: string;
  readonly description: string;
}

const isNode = (value: unknown): value is JsonSchemaNode =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Markdown table cells cannot hold a raw pipe or newline.
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function typeOf(node: JsonSchemaNode): string {
  if (Array.isArray(node.anyOf)) {
    return node.anyOf.filter(isNode).map(typeOf).join(' or ');
  }
  if (node.type === 'array' && isNode(node.items)) {
    const items = node.items;
    const of = Array.isArray(items.anyOf) ? `(${typeOf(items)})` : typeOf(items);
    return `array of ${of}`;
  }
  if (node.type === 'object' && isNode(node.additionalProperties)) {
    return `object of ${typeOf(node.additionalProperties)}`;
  }
  return String(node.type);
}

function describe(node: JsonSchemaNode): string {
  let text = typeof node.description === 'string' ? node.description : '';
  if (Array.isArray(node.enum)) {
    text += ` One of ${node.enum.map((v) => `\`${String(v)}\``).join(', ')}.`;
  }
  return text.trim();
}

// The object schema that holds the fields of `node`, looking through arrays and nullable unions.
function objectOf(node: JsonSchemaNode): JsonSchemaNode | undefined {
  if (isNode(node.properties)) return node;
  if (node.type === 'array' && isNode(node.items)) return objectOf(node.items);
  if (Array.isArray(node.anyOf)) {
    return node.anyOf
      .filter(isNode)
      .map(objectOf)
      .find((n) => n !== undefined);
  }
  return undefined;
}

function rows(node: JsonSchemaNode, prefix: string): FieldRow[] {
  const object = objectOf(node);
  if (object === undefined || !isNode(object.properties)) return [];
  const required = new Set(Array.isArray(object.required) ? object.required : []);
  return Object.entries(object.properties).flatMap(([name, child]) => {
    if (!isNode(child)) return [];
    const path = `${prefix}${name}`;
    const type = typeOf(child) + (required.has(name) ? '' : ', optional');
    const nested = child.type === 'array' ? `${path}[].` : `${path}.`;
    return [{ path, type, description: describe(child) }, ...rows(child, nested)];
  });
}

/**
 * A Markdown table of every field of an object JSON Schema, nested fields
 * included as paths (`results[].timeline[].tS`), with type (and whether it
 * is optional) and description (enum values appended). `docs/reports.md`
 * embeds the table of {@link runReportSchema}, and a test keeps the two equal.
 */
export function formatSchemaFieldTable(schema: JsonSchemaNode): string {
  const lines = ['| field | type | description |', '| --- | --- | --- |'];
  for (const row of rows(schema, '')) {
    lines.push(`| \`${cell(row.path)}\` | ${cell(row.type)} | ${cell(row.description)} |`);
  }
  return lines.join('\n');
}
