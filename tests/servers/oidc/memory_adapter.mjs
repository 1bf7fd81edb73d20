// oidc-provider storage in this process's memory, with what the tests need beyond the
// library's own memory adapter: no size limit (an LRU could drop a live grant under load)
// and revocation of everything a client holds (POST /test/revoke).
const models = new Map(); // model name -> Map(id -> { payload, expiresAt })

const now = () => Math.floor(Date.now() / 1000);

function storeOf(name) {
  if (!models.has(name)) models.set(name, new Map());
  return models.get(name);
}

function live(entry) {
  return entry && (entry.expiresAt === undefined || entry.expiresAt > now());
}

function sweep() {
  for (const store of models.values()) {
    for (const [id, entry] of store) if (!live(entry)) store.delete(id);
  }
}
setInterval(sweep, 60_000).unref();

export class MemoryAdapter {
  constructor(name) {
    this.name = name;
    this.store = storeOf(name);
  }

  async upsert(id, payload, expiresIn) {
    this.store.set(id, {
      payload: structuredClone(payload),
      expiresAt: typeof expiresIn === 'number' ? now() + expiresIn : undefined,
    });
  }

  async find(id) {
    const entry = this.store.get(id);
    if (!live(entry)) return undefined;
    return structuredClone(entry.payload);
  }

  async findByUserCode(userCode) {
    for (const entry of this.store.values()) {
      if (live(entry) && entry.payload.userCode === userCode) return structuredClone(entry.payload);
    }
    return undefined;
  }

  async findByUid(uid) {
    for (const entry of this.store.values()) {
      if (live(entry) && entry.payload.uid === uid) return structuredClone(entry.payload);
    }
    return undefined;
  }

  async consume(id) {
    const entry = this.store.get(id);
    if (entry) entry.payload.consumed = now();
  }

  async destroy(id) {
    this.store.delete(id);
  }

  async revokeByGrantId(grantId) {
    revokeGrant(grantId);
  }
}

function revokeGrant(grantId) {
  let n = 0;
  for (const [name, store] of models) {
    for (const [id, entry] of store) {
      if (entry.payload.grantId === grantId || (name === 'Grant' && id === grantId)) {
        store.delete(id);
        n += 1;
      }
    }
  }
  return n;
}

// Removes every grant of CLIENT with all its tokens, and the client's other tokens
// (client-credentials tokens have no grant).  Returns counts per model.
export async function revokeClient(clientId) {
  const removed = {};
  const count = (name, n = 1) => { removed[name] = (removed[name] || 0) + n; };
  const grants = new Set();
  for (const [name, store] of models) {
    for (const [id, entry] of store) {
      const p = entry.payload;
      const owner = p.clientId ?? p.client_id;
      if (owner !== clientId) continue;
      if (p.grantId) grants.add(p.grantId);
      if (name === 'Grant') grants.add(id);
      else if (name !== 'Client') {
        store.delete(id);
        count(name);
      }
    }
  }
  for (const g of grants) {
    for (const [name, store] of models) {
      for (const [id, entry] of store) {
        if (entry.payload.grantId === g || (name === 'Grant' && id === g)) {
          store.delete(id);
          count(name);
        }
      }
    }
  }
  return removed;
}
