// Zod (used by the src/domain code lists the web app imports) probes `new Function` when it builds
// object schemas, to compile fast parsers. Under our CSP (script-src 'self', no 'unsafe-eval') the
// probe is refused and reported as a CSP violation even though zod catches it. Turning the JIT
// off skips the probe. Import this module before anything that imports zod.
import { config } from 'zod';

config({ jitless: true });
