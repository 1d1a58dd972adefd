// The project's own lint rules (an oxlint JS plugin; the ESLint rule API).
// short-names: a declared name of one or two characters says nothing to the next reader. Allowed where the scope is
// a line long: a `for (let i = 0; …)` counter, the parameters of a one-line arrow function, and a few names that are
// words of their own or conventions of the field.
const ALLOWED = new Set(['_', '$', 'id', 'db', 'ok', 'at', 'to', 'of', 'x', 'y', 'fs', 'os', 'pg', 'ms']);

function namesIn(pattern, out = []) {
  if (!pattern) return out;
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern);
      break;
    case 'ObjectPattern':
      for (const prop of pattern.properties) namesIn(prop.type === 'RestElement' ? prop.argument : prop.value, out);
      break;
    case 'ArrayPattern':
      for (const element of pattern.elements) namesIn(element, out);
      break;
    case 'RestElement':
      namesIn(pattern.argument, out);
      break;
    case 'AssignmentPattern':
      namesIn(pattern.left, out);
      break;
    case 'TSParameterProperty':
      namesIn(pattern.parameter, out);
      break;
  }
  return out;
}

const isShort = (name) => name.length <= 2 && !ALLOWED.has(name);

/** A one-line arrow function: its parameters are read where they are declared. */
function tinyLambda(node) {
  return (
    node.type === 'ArrowFunctionExpression' &&
    node.body.type !== 'BlockStatement' &&
    node.loc.start.line === node.loc.end.line
  );
}

const shortNames = {
  meta: {
    type: 'suggestion',
    docs: { description: 'no 1–2 character names outside loop counters and one-line lambdas' },
    messages: {
      short: "'{{name}}' is too short to say what it holds: name it (loop counters and one-line lambdas excepted)",
    },
    schema: [],
  },
  create(context) {
    const report = (node) => {
      if (isShort(node.name)) context.report({ node, messageId: 'short', data: { name: node.name } });
    };
    const checkFunction = (func) => {
      if (func.id) report(func.id);
      if (tinyLambda(func)) return;
      for (const param of func.params) for (const name of namesIn(param)) report(name);
    };
    return {
      VariableDeclarator(node) {
        const declaration = node.parent;
        const loop = declaration?.parent;
        // `for (let i = 0; i < n; i++)`: the counter is the convention.
        if (loop?.type === 'ForStatement' && loop.init === declaration) return;
        for (const name of namesIn(node.id)) report(name);
      },
      FunctionDeclaration: checkFunction,
      FunctionExpression: checkFunction,
      ArrowFunctionExpression: checkFunction,
      ClassDeclaration(node) {
        if (node.id) report(node.id);
      },
      CatchClause(node) {
        for (const name of namesIn(node.param)) report(name);
      },
    };
  },
};

export default { meta: { name: 'house' }, rules: { 'short-names': shortNames } };
