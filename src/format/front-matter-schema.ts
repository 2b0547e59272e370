/**
 * The front matter of the strict profile as a JSON Schema (draft 2020-12). `schema/maml.schema.json` is generated
 * from this object (`npm run schema`), and a test keeps the two equal.
 */

const agentOrGatewayUri = {
  type: 'string',
  pattern: '^(agent|gateway)://[^\\s]*$',
  description: 'An `agent://…` or `gateway://…` URI; `*` matches any run of characters.',
} as const;

const uriList = { type: 'array', items: agentOrGatewayUri, uniqueItems: true } as const;

export const UUID_URN_PATTERN =
  '^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
export const ISO_TIMESTAMP_PATTERN =
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})$';

export const FRONT_MATTER_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:maml:schema:front-matter:1.0',
  title: 'MAML front matter',
  description: 'YAML front matter of a MAML (.maml.md) document, strict profile, MAML 1.0.',
  type: 'object',
  required: ['maml_version', 'id', 'type', 'origin'],
  properties: {
    maml_version: {
      type: 'string',
      pattern: '^\\d+\\.\\d+(\\.\\d+)?$',
      description: 'Version of the MAML specification the document follows, quoted: "1.0".',
    },
    id: { type: 'string', pattern: UUID_URN_PATTERN, description: 'Unique document id: urn:uuid:<RFC 9562 UUID>.' },
    type: {
      type: 'string',
      pattern: '^[a-z][a-z0-9_]*$',
      description: 'Kind of document.',
      examples: [
        'workflow',
        'hybrid_workflow',
        'quantum_workflow',
        'dataset',
        'prompt',
        'agent_blueprint',
        'api_request',
      ],
    },
    origin: {
      type: 'string',
      pattern: '^agent://[^\\s]+$',
      description: 'The agent that wrote the document, as an agent:// URI.',
    },
    requires: {
      type: 'object',
      description: 'What the document needs to run.',
      properties: {
        maml: { type: 'string' },
        libs: { type: 'array', items: { type: 'string' }, description: 'Libraries with optional versions: torch>=2.0' },
        apis: { type: 'array', items: { type: 'string' } },
        resources: {
          oneOf: [
            { type: 'array', items: { type: 'string' } },
            { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
          ],
        },
      },
      additionalProperties: false,
    },
    permissions: {
      type: 'object',
      description: 'Who may read, write and execute the document, and what its code may reach.',
      properties: {
        read: uriList,
        write: uriList,
        execute: uriList,
        network: {
          description: 'false (default): no network; true: any; a list: these host names or host:port pairs.',
          oneOf: [{ type: 'boolean' }, { type: 'array', items: { type: 'string' } }],
        },
        quantum: {
          description:
            'Calls to the quantum engine from Python and JavaScript blocks (maml.quantum): false forbids them; true (default) or bounds: calls (circuit evaluations), qubits per circuit, time (total simulator time, e.g. 2m).',
          oneOf: [
            { type: 'boolean' },
            {
              type: 'object',
              properties: {
                calls: { type: 'integer', minimum: 1 },
                qubits: { type: 'integer', minimum: 1 },
                time: { oneOf: [{ type: 'string' }, { type: 'number', exclusiveMinimum: 0 }] },
              },
              additionalProperties: false,
            },
          ],
        },
        filesystem: {
          description: 'Paths the code may see, read-only unless listed under write.',
          oneOf: [
            { type: 'array', items: { type: 'string' } },
            {
              type: 'object',
              properties: {
                read: { type: 'array', items: { type: 'string' } },
                write: { type: 'array', items: { type: 'string' } },
              },
              additionalProperties: false,
            },
          ],
        },
      },
      additionalProperties: false,
    },
    created_at: {
      type: 'string',
      pattern: ISO_TIMESTAMP_PATTERN,
      description: 'ISO 8601 timestamp with a zone: 2025-01-01T12:00:00Z.',
    },
    verification: {
      type: 'object',
      properties: {
        method: { type: 'string' },
        spec_files: { type: 'array', items: { type: 'string' } },
        level: { enum: ['strict', 'warn'] },
      },
      additionalProperties: false,
    },
    encryption: {
      description: 'Encryption mode of the document: "standard" or "pq", or a description such as "aes-256".',
      oneOf: [{ type: 'string' }, { type: 'object' }],
    },
    fairness: {
      description:
        'Fairness check of the block marked fairness=predictions: true (documented defaults) or a mapping (docs/fairness.md).',
      oneOf: [
        { type: 'boolean' },
        {
          type: 'object',
          properties: {
            protected: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] },
            unprivileged: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] },
            privileged: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] },
            favourable: { oneOf: [{ type: ['string', 'number', 'boolean'] }, { type: 'array', minItems: 1 }] },
            prediction: { type: 'string' },
            label: { type: 'string' },
            metric: { type: 'string' },
            threshold: { type: 'number', minimum: 0 },
            level: { enum: ['strict', 'warn'] },
            mitigate: { enum: ['reweighing', 'threshold_optimizer'] },
          },
          additionalProperties: false,
        },
      ],
    },
    quantum_security_flag: { type: 'boolean' },
    federated: {
      type: 'object',
      description:
        'A federated workflow (docs/federated.md): rounds of the client block on sampled clients, aggregated with FedAvg or secure aggregation, optionally with differential privacy per client. Seed-style `nodes`, `privacy: differential_privacy` and `epsilon` are read with a warning.',
      properties: {
        rounds: { type: 'integer', minimum: 1 },
        clients: { type: 'integer', minimum: 2 },
        nodes: { type: 'integer', minimum: 2, description: 'Seed-style name of `clients`.' },
        fraction: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
        min_clients: { type: 'integer', minimum: 2 },
        aggregation: { enum: ['fedavg', 'secure_aggregation'] },
        threshold: { type: 'integer', minimum: 2, maximum: 255 },
        range: { type: 'number', exclusiveMinimum: 0 },
        max_weight: { type: 'integer', minimum: 1 },
        parameters: { type: 'integer', minimum: 1 },
        server_learning_rate: { type: 'number', exclusiveMinimum: 0 },
        client_block: { type: 'string' },
        evaluate_block: { type: 'string' },
        seed: { type: 'string' },
        privacy: {
          oneOf: [
            { enum: ['differential_privacy', 'none'] },
            {
              type: 'object',
              properties: {
                mechanism: { const: 'gaussian' },
                clip: { type: 'number', exclusiveMinimum: 0 },
                noise_multiplier: { type: 'number', exclusiveMinimum: 0 },
                epsilon: { type: 'number', exclusiveMinimum: 0 },
                delta: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
              },
              additionalProperties: false,
            },
          ],
        },
        epsilon: { type: 'number', exclusiveMinimum: 0, description: 'Seed-style target epsilon.' },
        delta: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      },
      additionalProperties: false,
    },
    tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
  },
  additionalProperties: true,
} as const;
