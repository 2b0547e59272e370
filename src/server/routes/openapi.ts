// GET /openapi.json: the OpenAPI 3.1 document built from the route list and its request schemas.
import type { Route } from './route.js';

export const openapiRoute: Route = {
  method: 'GET',
  url: '/openapi.json',
  summary: 'This API as an OpenAPI 3.1 document',
  handler: ({ gateway }) => Promise.resolve(gateway.openapi()),
};
