// Spectral custom function: the three oas-create-check mission checks on one path item.
//
// Spectral runs rules on the *resolved* document by default, so every $ref (local or in another
// file) under the path item has already been replaced by its target: no resolution is needed here.
// The same logic, line for line, lives in ../redocly-plugin/create-check.mjs (with explicit $ref
// resolution) and ../vacuum-functions/createCheck.js; keep the three in step.
//
// Options: { check: "status-201" | "location" | "duplicate-policy" }.

const DUPLICATE_STATUSES = ['409', '422'];
const IDEMPOTENCY_HEADER = 'idempotency-key';

/** True for a segment that is a whole path template such as "{petId}". */
function isTemplateSegment(segment) {
  return /^\{[^}]*\}$/.test(segment);
}

/** A creation: a POST that declares 201, or any POST to a path not ending in a template. */
function isCreation(path, op) {
  const responses = (op && op.responses) || {};
  if (Object.prototype.hasOwnProperty.call(responses, '201')) return true;
  const segments = path.split('/').filter(Boolean);
  return segments.length === 0 || !isTemplateSegment(segments[segments.length - 1]);
}

function hasLocationHeader(response) {
  const headers = (response && response.headers) || {};
  return Object.keys(headers).some((name) => name.toLowerCase() === 'location');
}

function isIdempotencyParam(param) {
  return Boolean(param) && param.in === 'header' && typeof param.name === 'string'
    && param.name.toLowerCase() === IDEMPOTENCY_HEADER;
}

function hasDuplicatePolicy(pathItem, op) {
  const responses = op.responses || {};
  if (DUPLICATE_STATUSES.some((code) => Object.prototype.hasOwnProperty.call(responses, code))) {
    return true;
  }
  const params = [...(op.parameters || []), ...(pathItem.parameters || [])];
  return params.some(isIdempotencyParam);
}

/** Returns the message for the failed check, or null when the operation passes it. */
function failure(check, pathItem, op) {
  const responses = op.responses || {};
  switch (check) {
    case 'status-201':
      return '201' in responses ? null : 'create operation declares no 201 response';
    case 'location':
      return !('201' in responses) || hasLocationHeader(responses['201'])
        ? null : '201 response declares no Location header';
    case 'duplicate-policy':
      return hasDuplicatePolicy(pathItem, op)
        ? null : 'create operation declares neither 409/422 nor an Idempotency-Key header';
    default:
      throw new Error(`unknown check ${check}`);
  }
}

export default function createCheck(pathItem, options, context) {
  const path = String(context.path[context.path.length - 1]);
  const op = pathItem && pathItem.post;
  if (!op || typeof op !== 'object' || !isCreation(path, op)) return [];
  const message = failure(options.check, pathItem, op);
  return message ? [{ message: `POST ${path}: ${message}`, path: [...context.path, 'post'] }] : [];
}
