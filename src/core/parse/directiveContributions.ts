// What the build (esbuild.mjs) makes from the directive table: the YAML options of the JSON Schema
// and the directive rule of the TextMate grammar, added to their hand-written rest. Generated rather
// than checked in, so a new directive cannot be missing from either.
import { directiveTable, durationHint, type DirectiveRow } from './directiveTable';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The JSON Schema of YAML request files: `base` with one request option per directive that has a YAML key. */
export function completeRequestFileSchema(base: JsonObject): JsonObject {
  const schema = structuredClone(base);
  const definitions = objectAt(schema, 'definitions');
  const properties = objectAt(objectAt(definitions, 'request'), 'properties');
  for (const row of directiveTable) {
    if (!('yamlKey' in row)) continue;
    if (row.yamlKey in properties) throw new Error(`the schema's request already has \`${row.yamlKey}\`, which the directive table adds`);
    properties[row.yamlKey] = optionSchema(row);
  }
  definitions.duration = {
    description: `A duration: ${durationHint.replaceAll('`', '')}.`,
    oneOf: [
      { type: 'number', minimum: 0 },
      { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m)?\\s*$' },
    ],
    examples: ['30s', 30, '500ms', '2m'],
  };
  return schema;
}

function optionSchema(row: DirectiveRow): JsonObject {
  switch (row.kind) {
    case 'flag':
      return { description: `\`false\`: ${lowerFirst(row.doc)} Default \`true\`. Same as \`# @${row.name}\` in a .http file.`, type: 'boolean', examples: [false] };
    case 'duration':
      return { description: `${row.doc} ${upperFirst(durationHint)}. Same as \`# @${row.name} ${row.example}\` in a .http file.`, $ref: '#/definitions/duration' };
    case 'text':
      return { description: `${row.doc} Same as \`# @${row.name} ${row.example}\` in a .http file.`, type: 'string', minLength: 1, examples: [row.example] };
    case 'choice':
      return { description: `${row.doc} Same as \`# @${row.name} ${row.choices.join('|')}\` in a .http file.`, enum: [...row.choices], examples: [row.choices[0]] };
    case 'prompt': {
      const prompt = { type: 'string', pattern: '^\\s*[A-Za-z_][\\w.-]*(\\s.*)?$' };
      return {
        description: `${row.doc} A list asks for several. Same as \`# @${row.name} ${row.example}\` in a .http file.`,
        oneOf: [prompt, { type: 'array', items: prompt }],
        examples: [row.example],
      };
    }
  }
}

/**
 * The http grammar: `base` with its `#directive` rule, a comment whose `@word` is one of the table's
 * directives followed by a blank or the end of the line, as the parser reads it.
 */
export function completeHttpGrammar(base: JsonObject): JsonObject {
  const grammar = structuredClone(base);
  const repository = objectAt(grammar, 'repository');
  if ('directive' in repository) throw new Error('the grammar already has a `directive` rule, which the directive table makes');
  repository.directive = {
    match: `^\\s*(#|//)\\s*(@)(${directiveTable.map((row) => row.name).join('|')})(?=\\s|$)(.*)$`,
    captures: {
      1: { name: 'comment.line.http punctuation.definition.comment.http' },
      2: { name: 'keyword.other.directive.http' },
      3: { name: 'keyword.other.directive.http' },
      4: { name: 'string.unquoted.directive.http' },
    },
  };
  return grammar;
}

function objectAt(parent: JsonObject, key: string): JsonObject {
  const child = parent[key];
  if (typeof child !== 'object' || child === null || Array.isArray(child)) throw new Error(`expected an object at \`${key}\``);
  return child;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
