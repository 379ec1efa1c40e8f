/** Public surface of the API server: the /api/v1 routes, their OpenAPI document, the handler. */
export { API_PREFIX, type Api, type ApiOptions, createApi, OPENAPI_PATH } from "./api.js";
export { ApiError, type ApiErrorCode } from "./errors.js";
export { API_WRITE_EVENT, type ApiHandler, createApiHandler, send, sendError } from "./handler.js";
export { type ApiServer, type ApiServerOptions, startApiServer } from "./http-server.js";
export { API_ROLES, type ApiRole, defineRoute, type Route } from "./route.js";
export { MAX_SCAN_UPLOAD, ScanUploadSchema } from "./routes/scans.js";
export {
  createStaticHandler,
  DASHBOARD_CSP,
  DASHBOARD_DIR,
  DASHBOARD_SECURITY_HEADERS,
  type StaticHandler,
} from "./static.js";
