// The public surface of one built entry point, as text to compare exactly:
// - runtimeNames(jsFile): the sorted names the module exports at run time;
// - declarations(dtsFile): every exported name (values and types) with its declaration as the
//   build's .d.ts states it, comments left out, one block per name, sorted by name.
import { pathToFileURL } from 'node:url';

import ts from 'typescript';

export async function runtimeNames(jsFile) {
  const mod = await import(pathToFileURL(jsFile).href);
  return Object.keys(mod).sort();
}

export function declarations(dtsFile) {
  const program = ts.createProgram([dtsFile], {
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    jsx: ts.JsxEmit.ReactJSX,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(dtsFile);
  if (!source) throw new Error(`${dtsFile} is missing: run npm run build`);
  const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const blocks = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decls = (symbol.declarations ?? []).map((d) => {
      // A `const x: T` is printed with its statement, so the type is part of the text.
      const node = ts.isVariableDeclaration(d) ? d.parent.parent : d;
      return printer.printNode(ts.EmitHint.Unspecified, node, node.getSourceFile()).trim();
    });
    blocks.push(`## ${exported.name}\n${decls.join('\n') || '(no declaration)'}\n`);
  }
  return blocks.sort().join('\n');
}
