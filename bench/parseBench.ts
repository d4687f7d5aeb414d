import { performance } from 'node:perf_hooks';
import { parseHttpFile } from '../src/core/parse/httpParser';

const requestCount = 10_000;
const warmupRuns = 5;
const measuredRuns = 11;

/** A realistic file: file variables, named requests with directives, headers, JSON bodies, handlers. */
function generateHttpFile(count: number): string {
  const parts: string[] = ['@host = localhost:8080', '@base = http://{{host}}/api', ''];
  for (let index = 0; index < count; index++) {
    switch (index % 4) {
      case 0:
        parts.push(
          `### create item ${index}`,
          `# @name create${index}`,
          '# @timeout 5 s',
          `POST {{base}}/items?trace={{$uuid}} HTTP/1.1`,
          'Content-Type: application/json',
          'Accept: application/json',
          'Authorization: Bearer {{login.response.body.$.token}}',
          '',
          '{',
          `  "name": "item ${index}",`,
          `  "owner": "{{user}}",`,
          `  "tags": ["a", "b", "c"],`,
          `  "price": ${index}.99`,
          '}',
          '',
          '> {%',
          '  client.test("created", () => client.assert(response.status === 201));',
          '%}',
          '',
        );
        break;
      case 1:
        parts.push(
          `### item${index}`,
          `GET {{base}}/items/${index}`,
          '    ?expand=owner',
          '    &fields=name,price',
          'Accept: application/json',
          'X-Request-Id: {{$uuid}}',
          '',
        );
        break;
      case 2:
        parts.push(
          '###',
          `# @name update${index}`,
          '# @no-redirect',
          `PUT {{base}}/items/${index}`,
          'Content-Type: application/json',
          'If-Match: "{{create0.response.headers.ETag}}"',
          '',
          `{"name": "renamed ${index}", "price": {{price}}}`,
          '',
        );
        break;
      default:
        parts.push(
          `### delete ${index}`,
          `DELETE {{base}}/items/${index}`,
          'Cookie: JSESSIONID={{session}}',
          '',
          '>> out/delete.json',
          '',
        );
    }
  }
  return parts.join('\n');
}

/** Parses a generated 10,000-request file a few times after a warm-up; reports the median. */
export async function runParseBench(): Promise<{ name: string; medianMs: number; requests: number }> {
  const text = generateHttpFile(requestCount);
  let requests = 0;
  for (let run = 0; run < warmupRuns; run++) requests = parseHttpFile(text).requests.length;
  const times: number[] = [];
  for (let run = 0; run < measuredRuns; run++) {
    const started = performance.now();
    requests = parseHttpFile(text).requests.length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { name: `parse .http (${requestCount} requests, ${(text.length / 1024).toFixed(0)} kB)`, medianMs: times[measuredRuns >> 1], requests };
}

if (require.main === module) {
  runParseBench().then((result) => console.log(`${result.name}: median ${result.medianMs.toFixed(1)} ms, ${result.requests} requests`));
}
