// shacl-engine (rdf-ext's JavaScript SHACL engine, with its SPARQL validations) over data the
// tests wrote: node shacl-engine.mjs OUT SHAPES.ttl... -- DATA.nt...
// Each DATA.nt gets OUT/<name>.report.nt: the validation report, with the shapes (so that a
// result's anonymous shape can be told by its path and messages, as for the other engines).
import { readFileSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { Parser, Writer } from 'n3'
import rdf from 'rdf-ext'
import { Validator } from 'shacl-engine'
import { validations as sparqlValidations } from 'shacl-engine/sparql.js'

function load (dataset, path, format) {
  for (const quad of new Parser({ format }).parse(readFileSync(path, 'utf8'))) {
    dataset.add(rdf.quad(quad.subject, quad.predicate, quad.object))
  }
}

function ntriples (quads) {
  const writer = new Writer({ format: 'N-Triples' })
  for (const quad of quads) writer.addQuad(quad)
  return new Promise((resolve, reject) => writer.end((error, text) => error ? reject(error) : resolve(text)))
}

const [out, ...rest] = process.argv.slice(2)
const split = rest.indexOf('--')
const shapes = rdf.dataset()
for (const path of rest.slice(0, split)) load(shapes, path, 'Turtle')
const validator = new Validator(shapes, { factory: rdf, validations: sparqlValidations })
for (const path of rest.slice(split + 1)) {
  const data = rdf.dataset()
  load(data, path, 'N-Triples')
  const report = await validator.validate({ dataset: data })
  const text = await ntriples([...report.dataset, ...shapes])
  writeFileSync(join(out, basename(path, '.nt') + '.report.nt'), text)
}
