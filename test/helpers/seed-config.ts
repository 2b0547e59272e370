// The `.maml.yaml` examples of the seed documents (the MAML guides the project started from), verbatim.

/** Guide part 8 (seed 000), `.maml.yaml` for hybrid workflows, verbatim. */
export const SEED_000 = `maml:
  workflow:
    type: hybrid
    components:
      - quantum: qiskit
        shots: 1024
      - ai: pytorch
        batch_size: 128
      - verification: ocaml
        tool: ortac
  encryption:
    type: aes-512
    signature: crystals-dilithium
  database:
    type: sqlalchemy
    engine: postgresql
  resources:
    memory_limit: 1024MB
    concurrent_tasks: 1000
`;

/** Guide part 10 (seed 001): its three `.maml.yaml` examples, verbatim. */
export const SEED_001_FEDERATED = `federated:
  nodes: 10
  aggregation: secure_aggregation
  privacy: differential_privacy
  epsilon: 1.0
encryption:
  type: aes-512
  signature: crystals-dilithium
`;
export const SEED_001_BLOCKCHAIN = `blockchain:
  network: hyperledger
  chaincode: maml_audit
  retention: 1year
`;
export const SEED_001_LLM = `llm:
  model: distilbert
  task: threat_detection
  max_tokens: 512
`;
