export { AuthCache, type AuthCacheOptions } from './cache.js';
export { defaultCacheDir } from './file-store.js';
export { jwtExpiry } from './jwt.js';
export { cacheKey } from './key.js';
export type { CachedToken, TokenData } from './token.js';
