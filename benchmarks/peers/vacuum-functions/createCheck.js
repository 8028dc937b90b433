// vacuum (0.8.5) custom JavaScript function: the three oas-create-check mission checks.
//
// vacuum runs this file as a plain script in its embedded JS engine (goja), not as a module: it
// looks up the global functions getSchema() and runRule(input), and exposes the rule context as the
// global `context`. The input is the node that the rule's `given` matched, decoded to plain data.
// The ruleset gives `$.paths` (vacuum does not tell a function the key of a `$.paths[*]` match, and
// the path string is needed for the creation heuristic), so one call sees every path item. With
// `resolved: true` in the ruleset vacuum hands over its resolved document, in which $refs are
// already replaced by their targets.
//
// One vacuum rule runs all three checks and names the check at the start of each message. Why not
// three rules sharing this function, as for Spectral? vacuum 0.8.5 keeps one JS runtime per function
// file and calls it from the rules' goroutines at once without a lock: three rules on one function
// panic ("index out of range" inside goja). One rule means one call, so no concurrent use.
// Same logic as ../functions/createCheck.js (Spectral) and ../redocly-plugin/create-check.mjs.

var DUPLICATE_STATUSES = ['409', '422'];
var IDEMPOTENCY_HEADER = 'idempotency-key';

function getSchema() {
  return {
    name: 'createCheck',
    description: 'oas-create-check mission checks (201, Location, duplicate policy) on create POSTs',
  };
}

function has(obj, key) {
  return obj !== null && typeof obj === 'object' && Object.prototype.hasOwnProperty.call(obj, key);
}

function isTemplateSegment(segment) {
  return /^\{[^}]*\}$/.test(segment);
}

/** A creation: a POST that declares 201, or any POST to a path not ending in a template. */
function isCreation(path, op) {
  if (has(op.responses, '201')) return true;
  var segments = path.split('/').filter(Boolean);
  return segments.length === 0 || !isTemplateSegment(segments[segments.length - 1]);
}

function hasLocationHeader(response) {
  var headers = (response && response.headers) || {};
  return Object.keys(headers).some(function (name) { return name.toLowerCase() === 'location'; });
}

function hasDuplicatePolicy(pathItem, op) {
  if (DUPLICATE_STATUSES.some(function (code) { return has(op.responses, code); })) return true;
  var params = (op.parameters || []).concat(pathItem.parameters || []);
  return params.some(function (p) {
    return Boolean(p) && p.in === 'header' && typeof p.name === 'string'
      && p.name.toLowerCase() === IDEMPOTENCY_HEADER;
  });
}

var CHECKS = ['create-201', 'create-location', 'create-duplicate-policy'];

function failure(check, pathItem, op) {
  var responses = op.responses || {};
  if (check === 'create-201') {
    return has(responses, '201') ? null : 'create operation declares no 201 response';
  }
  if (check === 'create-location') {
    return !has(responses, '201') || hasLocationHeader(responses['201'])
      ? null : '201 response declares no Location header';
  }
  if (check === 'create-duplicate-policy') {
    return hasDuplicatePolicy(pathItem, op)
      ? null : 'create operation declares neither 409/422 nor an Idempotency-Key header';
  }
  throw new Error('unknown check ' + check);
}

function runRule(input) {
  var results = [];
  Object.keys(input || {}).forEach(function (path) {
    var pathItem = input[path] || {};
    var op = pathItem.post;
    if (!op || typeof op !== 'object' || !isCreation(path, op)) return;
    CHECKS.forEach(function (check) {
      var message = failure(check, pathItem, op);
      if (message) {
        results.push({
          message: check + ': POST ' + path + ': ' + message,
          path: "$.paths['" + path + "'].post",
        });
      }
    });
  });
  return results;
}
