// Parse Mermaid text from stdin with the real mermaid library and print what it understood
// (vertices, edges, subgraphs) as JSON; exit 1 with the parser's message on a syntax error.
// Needs a folder with node_modules/mermaid and node_modules/jsdom, given as
// SCAFFOLD_MERMAID_DIR (npm install --prefix DIR mermaid@11 jsdom); tests/test_graph.py
// skips the Mermaid parser test when it is not set.
import { createRequire } from 'module';
import { pathToFileURL } from 'url';
import fs from 'fs';
import path from 'path';

const dir = process.env.SCAFFOLD_MERMAID_DIR;
const require = createRequire(path.join(path.resolve(dir), 'noop.js'));
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import(pathToFileURL(require.resolve('mermaid')).href);

const text = fs.readFileSync(0, 'utf8');
try {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db;
  const vertices = db.getVertices();
  const values = vertices instanceof Map ? [...vertices.values()] : Object.values(vertices);
  console.log(JSON.stringify({
    vertices: values.map((v) => ({ id: v.id, text: v.text, classes: v.classes })),
    edges: db.getEdges().map((e) => ({ start: e.start, end: e.end, text: e.text, stroke: e.stroke })),
    subgraphs: db.getSubGraphs().map((s) => ({ id: s.id, title: s.title, nodes: s.nodes })),
  }));
} catch (err) {
  console.error(String((err && err.message) || err));
  process.exit(1);
}
