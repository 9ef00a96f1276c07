// Comunica, a standard Linked Data client, asks our pages: node comunica.mjs MODE SOURCE QUERY
// MODE: "dereference" (the source document only) or "traverse" (follows links from it).
// Every fetch outside 127.0.0.1 is refused before it is sent, so nothing leaves the machine.
// Prints JSON: the bindings (variable -> value), the URLs fetched and those refused.
import { QueryEngine as Dereference } from '@comunica/query-sparql';
import { QueryEngine as Traverse } from '@comunica/query-sparql-link-traversal';

const [mode, source, query] = process.argv.slice(2);
const fetched = [];
const refused = [];

function loopbackOnly(input, init) {
  const url = new URL(typeof input === 'string' ? input : input.url);
  if (url.hostname !== '127.0.0.1') {
    refused.push(url.href);
    return Promise.reject(new Error(`not fetched (not loopback): ${url.href}`));
  }
  fetched.push(url.href);
  return fetch(input, init);
}

const engine = mode === 'traverse' ? new Traverse() : new Dereference();
const stream = await engine.queryBindings(query, {
  sources: [source],
  fetch: loopbackOnly,
  lenient: true,
});
const rows = (await stream.toArray()).map((binding) =>
  Object.fromEntries([...binding].map(([variable, term]) => [variable.value, term.value])),
);
process.stdout.write(JSON.stringify({ rows, fetched, refused }));
