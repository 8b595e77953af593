import { type IncomingMessage, ServerResponse } from 'node:http';
import { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';

/** The console's policy: same-origin scripts, inline styles for the component library, no framing. */
function consoleHelmet(publicUrl: string): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Component libraries set inline styles (CSS-in-JS); scripts stay same-origin only.
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        // Over plain http (a local start) upgrading would send the console's requests to an https port nobody serves.
        upgradeInsecureRequests: publicUrl.startsWith('https:') ? [] : null,
      },
    },
  }) as RequestHandler;
}

/** The headers `middleware` sets on an answer, found by running it once on a throwaway response. */
function headersSetBy(middleware: RequestHandler): [string, string][] {
  const req = { method: 'GET', headers: {} } as IncomingMessage;
  const res = new ServerResponse(req);
  let called = false;
  middleware(req as Request, res as Response, () => (called = true));
  if (!called) throw new Error('the security headers middleware did not pass the request on');
  return Object.entries(res.getHeaders()).map(([name, value]) => [name, String(value)]);
}

/**
 * The security headers of every answer. Helmet's are the same for every request (no nonce), so the API, whose
 * answers are hot, sets the list helmet would set, computed once, with the API's own fixed headers (`apiExtra`)
 * in the same step; the console keeps helmet itself.
 */
export function securityHeaders(
  publicUrl: string,
  apiExtra: Record<string, string> = {},
): { console: RequestHandler; api: RequestHandler } {
  const console = consoleHelmet(publicUrl);
  const headers = [...headersSetBy(console), ...Object.entries(apiExtra)];
  const api = (_req: Request, res: Response, next: NextFunction) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
  return { console, api };
}
