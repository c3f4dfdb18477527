// The layers of Embargo, written once: `npm run layers` (part of `npm test`) checks every import
// against them, and docs/architecture.md ("Where the code lives") explains them.
//
// Highest first. A module may import its own folder and the folders of the layers below its own:
// never a folder of a higher layer, nor another folder of its own layer (folders that share a
// layer are independent of each other). Every folder with code sits in exactly one layer.
const LAYERS = [
  { name: 'tools', folders: ['bin', 'bench', 'scripts'] },
  { name: 'deployment, local mode and the CLI', folders: ['infra'] },
  { name: 'Lambda handlers and the AWS composition root', folders: ['functions'] },
  { name: 'capability factories', folders: ['shared/wiring'] },
  { name: 'adapters and event schemas', folders: ['shared/adapters', 'shared/events'] },
  { name: 'one delivery', folders: ['shared/intake'] },
  { name: 'mail on a case', folders: ['shared/threads'] },
  { name: 'mail commands', folders: ['shared/commands'] },
  { name: 'acknowledgment and notices', folders: ['shared/acknowledgment', 'shared/notices'] },
  { name: 'the GitHub advisory of a case', folders: ['shared/github-advisory'] },
  { name: 'distributors of a case', folders: ['shared/distributors'] },
  { name: 'case mail going out', folders: ['shared/outbound'] },
  { name: 'the case record and the configuration', folders: ['shared/cases', 'shared/config'] },
  { name: 'reading a report', folders: ['shared/reports'] },
  { name: 'OpenPGP', folders: ['shared/pgp'] },
  { name: 'S/MIME', folders: ['shared/smime'] },
  { name: 'MIME', folders: ['shared/mail'] },
  { name: 'addresses and advisory formats', folders: ['shared/addresses', 'shared/advisories'] },
  {
    name: 'clock, logger, validation, errors',
    folders: ['shared/time', 'shared/logging', 'shared/validation', 'shared/errors'],
  },
];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** A folder's modules; `shared/errors` is also the file `shared/errors.ts`. */
const inFolder = (folder) => `^${escape(folder)}(/|\\.ts$)`;

const placed = LAYERS.flatMap((layer) => layer.folders);

const layerRules = LAYERS.flatMap((layer, index) =>
  layer.folders.map((folder) => {
    const above = LAYERS.slice(0, index).flatMap((l) => l.folders);
    const beside = layer.folders.filter((f) => f !== folder);
    return {
      name: `layer:${folder}`,
      comment:
        `${folder} (${layer.name}) imports only its own folder and the layers below it. ` +
        'Move the code to the layer it belongs to, or pass what it needs in from above ' +
        '(.dependency-cruiser.cjs lists the layers).',
      severity: 'error',
      from: { path: inFolder(folder) },
      to: { path: [...above, ...beside].map(inFolder) },
    };
  }),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'not-in-a-layer',
      comment:
        'Every folder with code sits in one layer: add a new folder to LAYERS in ' +
        '.dependency-cruiser.cjs, where its imports put it.',
      severity: 'error',
      from: { path: '^(bin|bench|scripts|infra|functions|shared)/', pathNot: placed.map(inFolder) },
      to: {},
    },
    {
      name: 'tests-stay-in-test',
      comment:
        'Product code never imports test/ (only the tools in bench/ and scripts/ borrow its ' +
        'fixtures and clients).',
      severity: 'error',
      from: { path: '^(bin|infra|functions|shared)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|\\.d\\.ts$' },
    // `import type` is a dependency too: a type from a higher layer ties the code to it.
    tsPreCompilationDeps: true,
  },
};

// For test/architecture/layers.test.ts, which checks docs/architecture.md against it; not
// enumerable, so dependency-cruiser's configuration schema does not see it.
Object.defineProperty(module.exports, 'layers', { value: LAYERS });
