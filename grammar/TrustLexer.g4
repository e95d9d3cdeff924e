// Lexer of the .trust language, version 1 (see docs/language.md).
// Strings are lexed whole; escapes and ${...} interpolation are checked by our own code in
// compiler/parse so that their diagnostics point at the exact character.
lexer grammar TrustLexer;

IMPORT: 'import'; AS: 'as'; PARAM: 'param'; CERT: 'cert'; FILE: 'file'; NAME: 'name';
SHA256: 'sha256'; SUBJECT: 'subject'; ISSUER: 'issuer'; NOTE: 'note'; ALLOW: 'allow';
BECAUSE: 'because'; GATEWAY: 'gateway'; MAPPING: 'mapping'; BY_NAME: 'by_name'; BY_ID: 'by_id';
TRUST: 'trust'; FROM: 'from'; ANCHOR: 'anchor'; FOR: 'for'; VERIFY_HOSTNAME: 'verify_hostname';
ON: 'on'; OFF: 'off'; REVOCATION: 'revocation'; DEFAULT: 'default';
IDENTITY_PROVIDER: 'identity_provider'; CREDENTIALS: 'credentials'; X509: 'x509'; SAML: 'saml';
VALIDATION: 'validation'; CERTIFICATE: 'certificate'; PATH: 'path'; USER: 'user'; DN: 'dn';
EMAIL: 'email'; FIRST_NAME: 'first_name'; LAST_NAME: 'last_name'; KEYSTORE: 'keystore';
FORMAT: 'format'; JKS: 'jks'; PKCS12: 'pkcs12'; PEM: 'pem'; PASSWORD: 'password'; ENV: 'env';
NONE: 'none'; HOST: 'host'; CREATE: 'create'; REMOVE: 'remove'; REPLACE: 'replace';
REQUIRE_ENDPOINT: 'require_endpoint'; TEMPLATE: 'template'; POLICY: 'policy';
MIN_RSA_BITS: 'min_rsa_bits'; MIN_EC_BITS: 'min_ec_bits'; FORBID_SIGNATURE: 'forbid_signature';
EXPIRY: 'expiry'; WARN_WITHIN: 'warn_within'; REQUIRE_PIN: 'require_pin'; ANCHORS: 'anchors';
ALL: 'all'; RULE: 'rule'; ERROR: 'error'; WARNING: 'warning';
// Revocation checking policies (docs/language.md, "revocation_policy").
REVOCATION_POLICY: 'revocation_policy'; DEFAULT_POLICY: 'default_policy';
CONTINUE_ON_UNAVAILABLE: 'continue_on_unavailable'; DEFAULT_SUCCESS: 'default_success';
CHECK: 'check'; OCSP: 'ocsp'; CRL: 'crl'; URL: 'url'; MATCHING: 'matching';
ALLOW_ISSUER_SIGNATURE: 'allow_issuer_signature'; SIGNER: 'signer';
ATTACH: 'attach';

LBRACE: '{'; RBRACE: '}'; COMMA: ','; DOT: '.'; EQUALS: '=';

DURATION: [0-9]+ 'd';
INT: [0-9]+;
ID: [A-Za-z_] [A-Za-z0-9_]*;
STRING: '"' (~["\\\r\n] | '\\' ~[\r\n])* '"';

// Error tokens: reported by compiler/parse with a precise message, never by the parser.
UNTERMINATED_STRING: '"' (~["\\\r\n] | '\\' ~[\r\n])* '\\'?;
// No `*/` inside: otherwise, being longer, it would win over every closed BLOCK_COMMENT.
UNTERMINATED_COMMENT: '/*' (~'*' | '*'+ ~[*/])* '*'* EOF;

BOM: '\uFEFF' -> skip;
WS: [ \t\r\n]+ -> skip;
LINE_COMMENT: '//' ~[\r\n]* -> channel(HIDDEN);
BLOCK_COMMENT: '/*' .*? '*/' -> channel(HIDDEN);
BAD_CHAR: .;
