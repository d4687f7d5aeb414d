import type { ParsedFile } from '../model/request';
import { parseHttpFile } from './httpParser';
import { isYamlRequestFile } from './requestFileKind';
import { parseYamlRequestFile } from './yamlParser';

export { isYamlRequestFile } from './requestFileKind';

/** Parses a request file of either syntax, chosen by its name. */
export function parseRequestFile(text: string, fileName: string): ParsedFile {
  return isYamlRequestFile(fileName) ? parseYamlRequestFile(text) : parseHttpFile(text);
}
