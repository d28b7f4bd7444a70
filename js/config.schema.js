// The configuration schema as a module, so every runtime can load it without JSON import
// attributes (Node 18.19 has none). tests/js/guard.test.js checks it equals config.schema.json.
export default {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://edgeguard.dev/config.schema.json",
  "title": "edgeguard gateway configuration",
  "type": "object",
  "required": [
    "upstreams",
    "routes"
  ],
  "additionalProperties": false,
  "properties": {
    "$schema": {
      "type": "string"
    },
    "service": {
      "type": "string",
      "minLength": 1,
      "maxLength": 200,
      "description": "serviceId in the health document"
    },
    "upstreams": {
      "type": "object",
      "minProperties": 1,
      "maxProperties": 1000,
      "additionalProperties": {
        "$ref": "#/$defs/upstream"
      }
    },
    "routes": {
      "type": "array",
      "maxItems": 10000,
      "items": {
        "$ref": "#/$defs/route"
      }
    },
    "clientIp": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "header": {
          "enum": [
            "cf-connecting-ip",
            "CF-Connecting-IP",
            "x-forwarded-for",
            "X-Forwarded-For",
            "none"
          ]
        },
        "trustedHops": {
          "type": "integer",
          "minimum": 1,
          "maximum": 32,
          "description": "proxies of yours that append to X-Forwarded-For"
        }
      }
    },
    "identity": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "userHeader": {
          "$ref": "#/$defs/headerName",
          "description": "set by a verified layer in front (an auth proxy); never by clients"
        }
      }
    },
    "security": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "maxBodyBytes": {
          "$ref": "#/$defs/bytes"
        },
        "cors": {
          "oneOf": [
            {
              "const": false
            },
            {
              "type": "object",
              "required": [
                "origins"
              ],
              "additionalProperties": false,
              "properties": {
                "origins": {
                  "oneOf": [
                    {
                      "const": "*"
                    },
                    {
                      "type": "array",
                      "minItems": 1,
                      "items": {
                        "$ref": "#/$defs/origin"
                      }
                    }
                  ]
                },
                "methods": {
                  "type": "array",
                  "items": {
                    "$ref": "#/$defs/method"
                  }
                },
                "headers": {
                  "type": "array",
                  "items": {
                    "$ref": "#/$defs/headerName"
                  }
                },
                "exposeHeaders": {
                  "type": "array",
                  "items": {
                    "$ref": "#/$defs/headerName"
                  }
                },
                "maxAgeSeconds": {
                  "type": "integer",
                  "minimum": 0,
                  "maximum": 86400
                },
                "credentials": {
                  "type": "boolean"
                }
              }
            }
          ]
        },
        "headers": {
          "oneOf": [
            {
              "const": false
            },
            {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "hsts": {
                  "$ref": "#/$defs/headerSetting"
                },
                "contentTypeOptions": {
                  "$ref": "#/$defs/headerSetting"
                },
                "frameOptions": {
                  "$ref": "#/$defs/headerSetting"
                },
                "referrerPolicy": {
                  "$ref": "#/$defs/headerSetting"
                },
                "contentSecurityPolicy": {
                  "$ref": "#/$defs/headerSetting"
                }
              }
            }
          ]
        },
        "requestId": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "header": {
              "$ref": "#/$defs/headerName"
            },
            "trustIncoming": {
              "type": "boolean"
            }
          }
        }
      }
    },
    "store": {
      "type": "object",
      "additionalProperties": false,
      "description": "how global routes and shared breakers use the store given as the gateway's store option",
      "properties": {
        "prefix": {
          "type": "string",
          "pattern": "^[!-z|~]{1,32}$",
          "description": "before the store names of this gateway's limiters and breakers (default 'gw:'): gateways of other configs on one store keep apart"
        },
        "deadlineMs": {
          "type": "integer",
          "minimum": 1,
          "maximum": 60000,
          "description": "each store call's deadline, of global routes, shared breakers and shared cache tiers (default: the limiter's, 50; the store's for a tier)"
        },
        "mode": {
          "enum": [
            "exact",
            "local-first"
          ],
          "description": "RateLimiter mode of global routes (default 'local-first')"
        },
        "onStoreError": {
          "enum": [
            "local",
            "open",
            "closed"
          ],
          "description": "what answers while the store fails (default 'local': a local limiter sized limit / expectedInstances)"
        },
        "expectedInstances": {
          "type": "integer",
          "minimum": 1,
          "maximum": 100000,
          "description": "instances sharing the limits, to size the local fallback and the leases (default 4)"
        },
        "lease": {
          "type": "object",
          "additionalProperties": false,
          "description": "local-first: the allowance each instance leases at once (RateLimiter lease options)",
          "properties": {
            "units": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000000000,
              "description": "units leased at once (default capacity / (2 x expectedInstances)); at most a route's capacity"
            },
            "ttlMs": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1099511627776,
              "description": "how long leased units stay usable (default the route's shortest window)"
            }
          }
        },
        "cache": {
          "type": "object",
          "$ref": "#/$defs/sharedCache",
          "description": "the shared tier's options of every route with cache.shared (a route's own win)"
        }
      }
    },
    "observability": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "healthPath": {
          "oneOf": [
            {
              "const": false
            },
            {
              "$ref": "#/$defs/path"
            }
          ]
        },
        "metricsPath": {
          "oneOf": [
            {
              "const": false
            },
            {
              "$ref": "#/$defs/path"
            }
          ]
        }
      }
    }
  },
  "$defs": {
    "ms": {
      "type": "integer",
      "minimum": 0,
      "maximum": 1000000000000
    },
    "bytes": {
      "type": "integer",
      "minimum": 0,
      "maximum": 1099511627776
    },
    "path": {
      "type": "string",
      "pattern": "^/",
      "maxLength": 2048
    },
    "method": {
      "enum": [
        "GET",
        "HEAD",
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
        "OPTIONS"
      ]
    },
    "headerName": {
      "type": "string",
      "pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$"
    },
    "headerSetting": {
      "oneOf": [
        {
          "type": "boolean"
        },
        {
          "type": "string",
          "maxLength": 8192
        }
      ]
    },
    "origin": {
      "type": "string",
      "pattern": "^https?://[^/?#\\s]+(/[^?#\\s]*)?$"
    },
    "schema": {
      "type": [
        "object",
        "boolean"
      ]
    },
    "sharedCache": {
      "additionalProperties": false,
      "description": "Cache sharedOptions (js/cache.d.ts) but name, which the route's name gives; their ranges are the Cache's to check",
      "properties": {
        "deadlineMs": {
          "type": "integer"
        },
        "maxValueBytes": {
          "type": "integer"
        },
        "maxTtlMs": {
          "type": "integer"
        },
        "generationCheckMs": {
          "type": "integer"
        },
        "leaseMs": {
          "type": "integer"
        },
        "leaseWaitMs": {
          "type": "integer"
        },
        "leasePollMs": {
          "type": "integer"
        }
      }
    },
    "upstream": {
      "type": "object",
      "required": [
        "origin"
      ],
      "additionalProperties": false,
      "properties": {
        "origin": {
          "$ref": "#/$defs/origin"
        },
        "timeoutMs": {
          "type": "integer",
          "minimum": 1,
          "maximum": 2147483647
        },
        "breaker": {
          "oneOf": [
            {
              "const": false
            },
            {
              "type": "object",
              "description": "CircuitBreaker options",
              "properties": {
                "share": {
                  "type": "object",
                  "description": "share the breaker's view across instances through the store (CircuitBreaker share options, e.g. { quorum })"
                }
              }
            }
          ]
        },
        "retry": {
          "oneOf": [
            {
              "const": false
            },
            {
              "type": "object",
              "description": "Retry options"
            }
          ]
        },
        "bulkhead": {
          "oneOf": [
            {
              "const": false
            },
            {
              "type": "object",
              "description": "Bulkhead options"
            }
          ]
        }
      }
    },
    "route": {
      "type": "object",
      "required": [
        "path"
      ],
      "additionalProperties": false,
      "properties": {
        "name": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "method": {
          "oneOf": [
            {
              "$ref": "#/$defs/method"
            },
            {
              "const": "*"
            },
            {
              "type": "array",
              "minItems": 1,
              "items": {
                "oneOf": [
                  {
                    "$ref": "#/$defs/method"
                  },
                  {
                    "const": "*"
                  }
                ]
              }
            }
          ]
        },
        "path": {
          "type": "string",
          "minLength": 1,
          "maxLength": 2048,
          "description": "/v1/brands/:id, /files/*, or *"
        },
        "upstream": {
          "type": "string"
        },
        "maxBodyBytes": {
          "$ref": "#/$defs/bytes"
        },
        "validate": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "request": {
              "$ref": "#/$defs/schema"
            },
            "query": {
              "$ref": "#/$defs/schema"
            },
            "response": {
              "$ref": "#/$defs/schema"
            }
          }
        },
        "rateLimit": {
          "oneOf": [
            {
              "const": false
            },
            {
              "type": "object",
              "required": [
                "policies"
              ],
              "additionalProperties": false,
              "properties": {
                "key": {
                  "type": "string",
                  "pattern": "^(ip|user|route|header:[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256})$"
                },
                "scope": {
                  "enum": [
                    "local",
                    "global"
                  ],
                  "description": "global: one limit across every instance, kept in the store (default local)"
                },
                "policies": {
                  "type": "array",
                  "minItems": 1,
                  "items": {
                    "type": "object",
                    "required": [
                      "limit",
                      "windowMs"
                    ],
                    "additionalProperties": false,
                    "properties": {
                      "name": {
                        "type": "string"
                      },
                      "limit": {
                        "type": "integer",
                        "minimum": 1
                      },
                      "windowMs": {
                        "type": "integer",
                        "minimum": 1
                      },
                      "algorithm": {
                        "enum": [
                          "gcra",
                          "token-bucket",
                          "sliding-window",
                          "fixed-window",
                          "sliding-log"
                        ]
                      },
                      "burst": {
                        "type": "integer",
                        "minimum": 1
                      },
                      "blockMs": {
                        "type": "integer",
                        "minimum": 0
                      }
                    }
                  }
                },
                "maxKeys": {
                  "type": "integer",
                  "minimum": 1
                }
              }
            }
          ]
        },
        "cache": {
          "oneOf": [
            {
              "const": false
            },
            {
              "type": "object",
              "required": [
                "ttlMs"
              ],
              "additionalProperties": false,
              "properties": {
                "ttlMs": {
                  "$ref": "#/$defs/ms"
                },
                "staleWhileRevalidateMs": {
                  "$ref": "#/$defs/ms"
                },
                "staleIfErrorMs": {
                  "$ref": "#/$defs/ms"
                },
                "respectOrigin": {
                  "type": "boolean",
                  "description": "the origin's Cache-Control wins (default true)"
                },
                "vary": {
                  "type": "array",
                  "maxItems": 16,
                  "uniqueItems": true,
                  "items": {
                    "$ref": "#/$defs/headerName"
                  }
                },
                "perUser": {
                  "type": "boolean",
                  "description": "cache credentialed answers, keyed per user"
                },
                "shared": {
                  "type": [
                    "boolean",
                    "object"
                  ],
                  "$ref": "#/$defs/sharedCache",
                  "description": "a second tier in the store every instance reads (needs the store option; never with perUser)"
                }
              }
            }
          ]
        }
      }
    }
  }
};
