// Validates Graphman bundles as GraphQL input values of the `set…` mutations, against every
// schema given: each top-level list must be a valid `input` argument of its mutation (no
// unknown field, every required field present, enum values valid).
//
// usage: node validate.js SCHEMA.graphql... -- BUNDLE.json...
// Exit 0 when every bundle is valid under every schema, 1 otherwise.
'use strict';
const fs = require('fs');
const path = require('path');
const { buildSchema, coerceInputValue } = require('graphql');

// The bundle key → the mutation that installs it.
const MUTATIONS = {
  trustedCerts: 'setTrustedCerts',
  federatedIdps: 'setFederatedIdps',
  federatedUsers: 'setFederatedUsers',
  fips: 'setFips',
  fipUsers: 'setFipUsers',
  revocationCheckPolicies: 'setRevocationCheckPolicies',
};

// graphman-client's schema files have empty bodies (`type Query {\n}`), which strict SDL
// refuses: give each one a placeholder field. Nothing a bundle uses is affected.
function patchEmptyBodies(sdl) {
  return sdl.replace(/\b(type|input|interface)(\s+\w+[^{}]*)\{\s*\}/g,
                     '$1$2{ _placeholder: Boolean }');
}

function loadSchema(file) {
  // assumeValidSDL: graphman-client's files also define a few Query fields twice (in
  // `extend type Query` blocks); the input types a bundle uses are not affected.
  return buildSchema(patchEmptyBodies(fs.readFileSync(file, 'utf8')), { assumeValidSDL: true });
}

function validate(schema, schemaName, bundleFile, bundle, errors) {
  const mutation = schema.getMutationType();
  if (!mutation) {
    errors.push(`${schemaName}: no Mutation type`);
    return 0;
  }
  let checked = 0;
  for (const [key, value] of Object.entries(bundle)) {
    if (key === 'properties') continue;
    const name = MUTATIONS[key];
    const field = name && mutation.getFields()[name];
    if (!field) {
      errors.push(`${bundleFile}: ${schemaName}: no mutation for bundle key "${key}"`);
      continue;
    }
    const input = field.args.find((a) => a.name === 'input');
    coerceInputValue(value, input.type, (where, _invalid, error) => {
      errors.push(`${bundleFile}: ${schemaName}: ${key}${where.map((p) => `[${p}]`).join('')}: ` +
                  error.message);
    });
    checked += Array.isArray(value) ? value.length : 1;
  }
  return checked;
}

function main(argv) {
  const split = argv.indexOf('--');
  const schemaFiles = argv.slice(0, split);
  const bundleFiles = argv.slice(split + 1);
  if (split < 0 || schemaFiles.length === 0 || bundleFiles.length === 0) {
    console.error('usage: node validate.js SCHEMA.graphql... -- BUNDLE.json...');
    return 2;
  }
  const errors = [];
  const schemas = schemaFiles.map((f) => [path.basename(f), loadSchema(f)]);
  let entities = 0;
  for (const bundleFile of bundleFiles) {
    let bundle;
    try {
      bundle = JSON.parse(fs.readFileSync(bundleFile, 'utf8'));
    } catch (e) {
      errors.push(`${bundleFile}: ${e.message}`);
      continue;
    }
    for (const [name, schema] of schemas) entities += validate(schema, name, bundleFile, bundle, errors);
  }
  for (const e of errors) console.error('FAIL: ' + e);
  console.log(`${bundleFiles.length} bundle(s), ${schemas.length} schema(s), ` +
              `${entities} entity value(s) checked, ${errors.length} error(s)`);
  return errors.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
