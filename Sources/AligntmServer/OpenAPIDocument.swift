/// The OpenAPI description the server answers at `/openapi.yaml`: a copy of docs/openapi.yaml
/// (`OwnAPITests.openAPIListsExactlyTheRoutes` checks that the two are the same and that they list the routes of
/// ``Route/all``; `ALIGNTM_RECORD_SNAPSHOTS=1 swift test --filter openAPIListsExactlyTheRoutes` copies the file
/// here after an edit).
enum OpenAPIDocument {
  static let yaml = text + "\n"

  private static let text = #"""
    openapi: 3.0.3
    info:
      title: aligntm serve
      version: "0.1.0"
      description: >-
        A translation memory over HTTP: the amaGama/tmserver API (under /tmserver and /api/v1) that
        Weblate, Okapi, Virtaal and Pootle speak, and aligntm's own API under /v1. Reads are open
        unless the server runs with --read-token; writes and the export need
        "Authorization: Bearer TOKEN". Every refusal is JSON: {"error": message, "status": code}.
    servers:
      - url: http://127.0.0.1:8080
    paths:
      /tmserver/{source}/{target}/unit/{text}:
        parameters:
          - {name: source, in: path, required: true, schema: {type: string}, description: "Source language, as clients send it (en, pt_br, fr_FR, fr-FR, FR)"}
          - {name: target, in: path, required: true, schema: {type: string}, description: "Target language"}
          - {name: text, in: path, required: true, schema: {type: string}, description: "The text, URL-escaped (%2F for a slash)"}
        get:
          summary: amaGama lookup - the stored units closest to the text, best first
          parameters:
          - {name: min_similarity, in: query, schema: {type: number, default: 70, minimum: 30, maximum: 100}}
          - {name: max_candidates, in: query, schema: {type: integer, default: 5, minimum: 1, maximum: 50}}
          - {name: jsoncallback, in: query, schema: {type: string, pattern: "^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$"}, description: "JSONP: wraps the list in a call of this function"}
          responses:
            "200": {description: Candidates, best first, content: {application/json: {schema: {$ref: "#/components/schemas/Candidates"}}}}
            "400": {$ref: "#/components/responses/Error"}
        post:
          summary: amaGama write-back - stores a source and its translation (needs the token)
          security: [{bearer: []}]
          requestBody: {$ref: "#/components/requestBodies/Unit"}
          responses: {"200": {$ref: "#/components/responses/Written"}, "201": {$ref: "#/components/responses/Written"}, "400": {$ref: "#/components/responses/Error"}, "401": {$ref: "#/components/responses/Error"}}
        put:
          summary: amaGama write-back - stores a source and its translation (needs the token)
          security: [{bearer: []}]
          requestBody: {$ref: "#/components/requestBodies/Unit"}
          responses: {"200": {$ref: "#/components/responses/Written"}, "201": {$ref: "#/components/responses/Written"}, "400": {$ref: "#/components/responses/Error"}, "401": {$ref: "#/components/responses/Error"}}
      /tmserver/{source}/{target}/unit/:
        parameters:
          - {name: source, in: path, required: true, schema: {type: string}, description: "Source language, as clients send it (en, pt_br, fr_FR, fr-FR, FR)"}
          - {name: target, in: path, required: true, schema: {type: string}, description: "Target language"}
        get:
          summary: amaGama lookup with the text as ?source=
          parameters:
          - {name: source, in: query, required: true, schema: {type: string}}
          - {name: min_similarity, in: query, schema: {type: number, default: 70, minimum: 30, maximum: 100}}
          - {name: max_candidates, in: query, schema: {type: integer, default: 5, minimum: 1, maximum: 50}}
          - {name: jsoncallback, in: query, schema: {type: string, pattern: "^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$"}, description: "JSONP: wraps the list in a call of this function"}
          responses:
            "200": {description: Candidates, best first, content: {application/json: {schema: {$ref: "#/components/schemas/Candidates"}}}}
            "404": {$ref: "#/components/responses/Error"}
        post:
          summary: amaGama write-back without the text in the path (needs the token)
          security: [{bearer: []}]
          requestBody: {$ref: "#/components/requestBodies/Unit"}
          responses: {"200": {$ref: "#/components/responses/Written"}, "201": {$ref: "#/components/responses/Written"}, "401": {$ref: "#/components/responses/Error"}}
        put:
          summary: amaGama write-back without the text in the path (needs the token)
          security: [{bearer: []}]
          requestBody: {$ref: "#/components/requestBodies/Unit"}
          responses: {"200": {$ref: "#/components/responses/Written"}, "201": {$ref: "#/components/responses/Written"}, "401": {$ref: "#/components/responses/Error"}}
      /tmserver/languages/:
        get:
          summary: The languages the memory holds (every pair is served both ways)
          responses:
            "200": {description: Languages, content: {application/json: {schema: {$ref: "#/components/schemas/Languages"}}}}
      /api/v1/{source}/{target}/unit/{text}:
        parameters:
          - {name: source, in: path, required: true, schema: {type: string}, description: "Source language, as clients send it (en, pt_br, fr_FR, fr-FR, FR)"}
          - {name: target, in: path, required: true, schema: {type: string}, description: "Target language"}
          - {name: text, in: path, required: true, schema: {type: string}, description: "The text, URL-escaped (%2F for a slash)"}
        get:
          summary: amaGama lookup - the stored units closest to the text, best first
          parameters:
          - {name: min_similarity, in: query, schema: {type: number, default: 70, minimum: 30, maximum: 100}}
          - {name: max_candidates, in: query, schema: {type: integer, default: 5, minimum: 1, maximum: 50}}
          - {name: jsoncallback, in: query, schema: {type: string, pattern: "^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$"}, description: "JSONP: wraps the list in a call of this function"}
          responses:
            "200": {description: Candidates, best first, content: {application/json: {schema: {$ref: "#/components/schemas/Candidates"}}}}
            "400": {$ref: "#/components/responses/Error"}
        post:
          summary: amaGama write-back - stores a source and its translation (needs the token)
          security: [{bearer: []}]
          requestBody: {$ref: "#/components/requestBodies/Unit"}
          responses: {"200": {$ref: "#/components/responses/Written"}, "201": {$ref: "#/components/responses/Written"}, "400": {$ref: "#/components/responses/Error"}, "401": {$ref: "#/components/responses/Error"}}
        put:
          summary: amaGama write-back - stores a source and its translation (needs the token)
          security: [{bearer: []}]
          requestBody: {$ref: "#/components/requestBodies/Unit"}
          responses: {"200": {$ref: "#/components/responses/Written"}, "201": {$ref: "#/components/responses/Written"}, "400": {$ref: "#/components/responses/Error"}, "401": {$ref: "#/components/responses/Error"}}
      /api/v1/{source}/{target}/unit/:
        parameters:
          - {name: source, in: path, required: true, schema: {type: string}, description: "Source language, as clients send it (en, pt_br, fr_FR, fr-FR, FR)"}
          - {name: target, in: path, required: true, schema: {type: string}, description: "Target language"}
        get:
          summary: amaGama lookup with the text as ?source=
          parameters:
          - {name: source, in: query, required: true, schema: {type: string}}
          - {name: min_similarity, in: query, schema: {type: number, default: 70, minimum: 30, maximum: 100}}
          - {name: max_candidates, in: query, schema: {type: integer, default: 5, minimum: 1, maximum: 50}}
          - {name: jsoncallback, in: query, schema: {type: string, pattern: "^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$"}, description: "JSONP: wraps the list in a call of this function"}
          responses:
            "200": {description: Candidates, best first, content: {application/json: {schema: {$ref: "#/components/schemas/Candidates"}}}}
            "404": {$ref: "#/components/responses/Error"}
        post:
          summary: amaGama write-back without the text in the path (needs the token)
          security: [{bearer: []}]
          requestBody: {$ref: "#/components/requestBodies/Unit"}
          responses: {"200": {$ref: "#/components/responses/Written"}, "201": {$ref: "#/components/responses/Written"}, "401": {$ref: "#/components/responses/Error"}}
        put:
          summary: amaGama write-back without the text in the path (needs the token)
          security: [{bearer: []}]
          requestBody: {$ref: "#/components/requestBodies/Unit"}
          responses: {"200": {$ref: "#/components/responses/Written"}, "201": {$ref: "#/components/responses/Written"}, "401": {$ref: "#/components/responses/Error"}}
      /api/v1/languages/:
        get:
          summary: The languages the memory holds (every pair is served both ways)
          responses:
            "200": {description: Languages, content: {application/json: {schema: {$ref: "#/components/schemas/Languages"}}}}
      /v1/health:
        get:
          summary: The server answers, the memory generation its indexes follow, and whether the store answers (lookups go on from the indexes while a PostgreSQL store is unreachable; writes get a 503)
          responses:
            "200": {description: Health, content: {application/json: {schema: {type: object, properties: {status: {type: string}, generation: {type: integer}, store: {type: string, enum: [reachable, unreachable]}}}}}}
      /v1/stats:
        get:
          summary: What the memory holds and which indexes are loaded
          responses:
            "200": {description: Statistics, content: {application/json: {schema: {type: object}}}}
      /v1/{source}/{target}/query:
        parameters:
          - {name: source, in: path, required: true, schema: {type: string}, description: "Source language, as clients send it (en, pt_br, fr_FR, fr-FR, FR)"}
          - {name: target, in: path, required: true, schema: {type: string}, description: "Target language"}
        get:
          summary: Fuzzy matches with differences and substitutions, as `aligntm query --format json`
          parameters:
          - {name: text, in: query, required: true, schema: {type: string, maxLength: 4000}}
          - {name: min_score, in: query, schema: {type: number, default: 70, minimum: 30, maximum: 100}}
          - {name: limit, in: query, schema: {type: integer, default: 5, minimum: 1, maximum: 50}}
          responses:
            "200": {description: Matches, content: {application/json: {schema: {$ref: "#/components/schemas/Query"}}}}
            "400": {$ref: "#/components/responses/Error"}
      /v1/{source}/{target}/concordance:
        parameters:
          - {name: source, in: path, required: true, schema: {type: string}, description: "Source language, as clients send it (en, pt_br, fr_FR, fr-FR, FR)"}
          - {name: target, in: path, required: true, schema: {type: string}, description: "Target language"}
        get:
          summary: Every indexed unit whose source holds a word or phrase (case and accents ignored)
          parameters:
          - {name: term, in: query, required: true, schema: {type: string, maxLength: 200}}
          - {name: limit, in: query, schema: {type: integer, default: 50, minimum: 1, maximum: 500}}
          responses:
            "200": {description: Hits, content: {application/json: {schema: {type: object, properties: {term: {type: string}, total: {type: integer}, units: {type: array, items: {type: object}}}}}}}
            "400": {$ref: "#/components/responses/Error"}
      /v1/{source}/{target}/suggest:
        parameters:
          - {name: source, in: path, required: true, schema: {type: string}, description: "Source language, as clients send it (en, pt_br, fr_FR, fr-FR, FR)"}
          - {name: target, in: path, required: true, schema: {type: string}, description: "Target language"}
        post:
          summary: A whole document (plain text), sentence by sentence, with the best match of each
          parameters:
          - {name: min_score, in: query, schema: {type: number, default: 50, minimum: 30, maximum: 100}}
          requestBody:
            required: true
            content: {text/plain: {schema: {type: string, maxLength: 2097152}}}
          responses:
            "200": {description: Sentences, content: {application/json: {schema: {type: object, properties: {sentences: {type: array, items: {type: object, properties: {source: {type: string}, match: {$ref: "#/components/schemas/Match"}}}}}}}}}
            "413": {$ref: "#/components/responses/Error"}
      /v1/export.tmx:
        get:
          summary: The memory as TMX 1.4b (needs the token)
          security: [{bearer: []}]
          parameters:
          - {name: languages, in: query, schema: {type: string}, description: "Comma-separated codes: only these languages"}
          - {name: document, in: query, schema: {type: string}, description: "Only this document (x-document)"}
          responses:
            "200": {description: TMX, content: {application/x-tmx+xml: {schema: {type: string}}}}
            "401": {$ref: "#/components/responses/Error"}
      /openapi.yaml:
        get:
          summary: This description
          responses:
            "200": {description: OpenAPI 3.0, content: {application/yaml: {schema: {type: string}}}}
    components:
      securitySchemes:
        bearer: {type: http, scheme: bearer}
      requestBodies:
        Unit:
          required: true
          content: {application/json: {schema: {type: object, required: [source, target], properties: {source: {type: string}, target: {type: string}}}}}
      responses:
        Error:
          description: A refused request
          content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
        Written:
          description: The unit is stored (201 new, 200 merged into the same stored texts)
          content: {application/json: {schema: {type: object, properties: {id: {type: integer}, inserted: {type: boolean}}}}}
      schemas:
        Error:
          type: object
          required: [error, status]
          properties: {error: {type: string}, status: {type: integer}}
        Candidates:
          type: array
          items:
            type: object
            required: [source, target, quality, rank]
            properties: {source: {type: string}, target: {type: string}, quality: {type: number}, rank: {type: number}}
        Languages:
          type: object
          required: [sourceLanguages, targetLanguages]
          properties: {sourceLanguages: {type: array, items: {type: string}}, targetLanguages: {type: array, items: {type: string}}}
        Match:
          type: object
          nullable: true
          properties:
            score: {type: number}
            source: {type: string}
            target: {type: string}
            suggestion: {type: string}
            document: {type: string, nullable: true}
            paragraph: {type: string, nullable: true}
            differences: {type: array, items: {type: object, properties: {kind: {type: string}, query: {type: array, items: {type: integer}}, source: {type: array, items: {type: integer}}}}}
            substitutions: {type: array, items: {type: object, properties: {kind: {type: string}, original: {type: string}, replacement: {type: string}, range: {type: array, items: {type: integer}}}}}
        Query:
          type: object
          properties: {query: {type: string}, matches: {type: array, items: {$ref: "#/components/schemas/Match"}}}
    """#
}
