// Redocly CLI plugin: the three oas-create-check mission checks as custom rules.
//
// Redocly's configurable rules (`rule/...` with `assertions`) look at one node at a time and cannot
// say "409 or 422 in the responses OR an Idempotency-Key header parameter on the operation or its
// path item", so all three checks are written as visitor rules. The walker hands a PathItem visitor
// the resolved path item, but the nodes *inside* it (responses, headers, parameters) may still be
// {$ref: ...}: each one goes through ctx.resolve(), which follows local and cross-file refs.
// Same logic as ../functions/createCheck.js (Spectral) and ../vacuum-functions/createCheck.js.

const DUPLICATE_STATUSES = ['409', '422'];
const IDEMPOTENCY_HEADER = 'idempotency-key';

/** Follows a $ref (possibly into another file) with the visitor's resolver; plain nodes pass. */
function deref(ctx, node) {
  if (node && typeof node === 'object' && typeof node.$ref === 'string') {
    return ctx.resolve(node).node;
  }
  return node;
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
  const headers = deref(ctx, (response && response.headers) || {}) || {};
  return Object.keys(headers).some((name) => name.toLowerCase() === 'location');
}

function hasDuplicatePolicy(ctx, pathItem, op, responses) {
  if (DUPLICATE_STATUSES.some((code) => Object.prototype.hasOwnProperty.call(responses, code))) {
    return true;
  }
  const params = [...(op.parameters || []), ...(pathItem.parameters || [])].map((p) => deref(ctx, p));
  return params.some((p) => Boolean(p) && p.in === 'header' && typeof p.name === 'string'
    && p.name.toLowerCase() === IDEMPOTENCY_HEADER);
}

function failure(check, ctx, pathItem, op, responses) {
  switch (check) {
    case 'status-201':
      return '201' in responses ? null : 'create operation declares no 201 response';
    case 'location':
      return !('201' in responses) || hasLocationHeader(ctx, deref(ctx, responses['201']))
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
      PathItem: {
        enter(pathItem, ctx) {
          const op = deref(ctx, pathItem && pathItem.post);
          if (!op || typeof op !== 'object') return;
          const responses = deref(ctx, op.responses || {}) || {};
          const path = String(ctx.key);
          if (!isCreation(path, responses)) return;
          const message = failure(check, ctx, pathItem, op, responses);
          if (message) {
            ctx.report({ message: `POST ${path}: ${message}`, location: ctx.location.child(['post']) });
          }
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
