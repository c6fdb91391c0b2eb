// Starts Swagger UI 5 (static/vendor/swagger-ui) on /docs, under the app's Content-Security-Policy.
// validatorUrl null: no badge image from validator.swagger.io (another host, refused by img-src, and
// it would hand that host the spec's address).
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", validatorUrl: null });
