// Redocly CLI plugin: the three oas-create-check mission checks as custom rules.
//
// Redocly's configurable rules (`rule/...` with `assertions`) look at one node at a time and cannot
// say "409 or 422 in the responses OR an Idempotency-Key header parameter on the operation or its
// path item", so all three checks are written as visitor rules. The nested visitor
// `Paths: { PathItem }` reaches exactly the path items of the root `paths` (not webhooks, not
// callbacks), already resolved by the walker, with ctx.key = the path. The nodes *inside* a path
// item (operation, responses, headers, parameters) may still be {$ref: ...}: each goes through
// ctx.resolve(ref, from), where `from` is the file the referring node lives in, so relative refs
// in multi-file documents resolve against the right file.
// Same logic as ../functions/createCheck.js (Spectral) and ../vacuum-functions/createCheck.js.

const DUPLICATE_STATUSES = ['409', '422'];
const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * A node together with the absolute ref of the file it lives in, so that a $ref inside it resolves
 * relative to that file and not to the root document.
 */
function at(node, from) {
  return { node, from };
}

const MAX_REF_HOPS = 32; // a circular chain of bare $refs must not hang the linter

/** Follows $refs (chains too, across files) with the walker's resolver; plain nodes pass. */
function deref(ctx, node, from) {
  let current = at(node, from);
  for (let hops = 0; hops < MAX_REF_HOPS; hops += 1) {
    if (!current.node || typeof current.node !== 'object' || typeof current.node.$ref !== 'string') {
      break;
    }
    const { node: target, location } = ctx.resolve(current.node, current.from);
    current = at(target, location ? location.source.absoluteRef : current.from);
  }
  return current;
}

function isTemplateSegment(segment) {
  return /^\{[^}]*\}$/.test(segment);
}

/** A creation: a POST that declares 201, or any POST to a path not ending in a template. */
function isCreation(path, responses) {
  if (Object.prototype.hasOwnProperty.call(responses, '201')) return true;
  const segments = path.split('/').filter(Boolean);
  return segments.length === 0 || !isTemplateSegment(segments[segments.length - 1]);
}

function hasLocationHeader(ctx, response) {
  if (!response.node) return false;
  const headers = deref(ctx, response.node.headers, response.from).node || {};
  return Object.keys(headers).some((name) => name.toLowerCase() === 'location');
}

/** Parameters of a list (operation or path level), each resolved in its own file. */
function resolvedParams(ctx, list) {
  const params = deref(ctx, list.node, list.from);
  return (params.node || []).map((p) => deref(ctx, p, params.from).node);
}

function hasDuplicatePolicy(ctx, pathItem, op, responses) {
  if (DUPLICATE_STATUSES.some((code) => Object.prototype.hasOwnProperty.call(responses.node, code))) {
    return true;
  }
  const params = [
    ...resolvedParams(ctx, at(op.node.parameters, op.from)),
    ...resolvedParams(ctx, at(pathItem.node.parameters, pathItem.from)),
  ];
  return params.some((p) => Boolean(p) && p.in === 'header' && typeof p.name === 'string'
    && p.name.toLowerCase() === IDEMPOTENCY_HEADER);
}

function failure(check, ctx, pathItem, op, responses) {
  const has201 = Object.prototype.hasOwnProperty.call(responses.node, '201');
  switch (check) {
    case 'status-201':
      return has201 ? null : 'create operation declares no 201 response';
    case 'location':
      return !has201 || hasLocationHeader(ctx, deref(ctx, responses.node['201'], responses.from))
        ? null : '201 response declares no Location header';
    case 'duplicate-policy':
      return hasDuplicatePolicy(ctx, pathItem, op, responses)
        ? null : 'create operation declares neither 409/422 nor an Idempotency-Key header';
    default:
      throw new Error(`unknown check ${check}`);
  }
}

/** One rule factory per check: Redocly instantiates each rule with its own visitor object. */
function createRule(check) {
  return function CreateCheckRule() {
    return {
      Paths: {
        PathItem: {
          enter(node, ctx) {
            const pathItem = at(node, ctx.location.source.absoluteRef);
            const op = deref(ctx, node && node.post, pathItem.from);
            if (!op.node || typeof op.node !== 'object') return;
            const responses = deref(ctx, op.node.responses, op.from);
            responses.node = responses.node || {};
            const path = String(ctx.key);
            if (!isCreation(path, responses.node)) return;
            const message = failure(check, ctx, pathItem, op, responses);
            if (message) {
              ctx.report({
                message: `POST ${path}: ${message}`,
                location: ctx.location.child(['post']),
              });
            }
          },
        },
      },
    };
  };
}

export default function createCheckPlugin() {
  return {
    id: 'create-check',
    rules: {
      oas3: {
        'create-201': createRule('status-201'),
        'create-location': createRule('location'),
        'create-duplicate-policy': createRule('duplicate-policy'),
      },
    },
  };
}
