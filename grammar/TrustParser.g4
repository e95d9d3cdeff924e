// Parser of the .trust language, version 1. No recursion: nesting is bounded by the grammar
// itself (module > declaration > block > item > user block), so depth cannot explode.
parser grammar TrustParser;
options { tokenVocab = TrustLexer; }

program: topItem* EOF;

topItem
  : importDecl | paramDecl | certDecl | gatewayDecl | keystoreDecl | templateDecl | policyDecl
  ;

importDecl: IMPORT STRING (AS ident)?;
paramDecl: PARAM ident EQUALS STRING;

certDecl: CERT ident LBRACE certItem* RBRACE;
certItem
  : FILE STRING         # certFile
  | NAME STRING         # certName
  | SHA256 STRING       # certSha256
  | SUBJECT STRING      # certSubject
  | ISSUER STRING       # certIssuer
  | NOTE STRING         # certNote
  | allowItem           # certAllow
  ;
allowItem: ALLOW ident BECAUSE STRING;

gatewayDecl: GATEWAY ident LBRACE gatewayItem* RBRACE;
gatewayItem
  : MAPPING value=(BY_NAME | BY_ID)   # gatewayMapping
  | gatewayTrust                     # gatewayTrustItem
  | identityProvider                 # gatewayIdp
  | revocationPolicy                 # gatewayRevocationPolicy
  ;
gatewayTrust: TRUST ref fromClause? (LBRACE trustItem* RBRACE)?;
fromClause: FROM ref;
trustItem
  : ANCHOR                                  # trustAnchor
  | FOR ident (COMMA ident)*                # trustFor
  | VERIFY_HOSTNAME value=(ON | OFF)        # trustVerifyHostname
  | REVOCATION DEFAULT                      # trustRevocationDefault
  | REVOCATION OFF BECAUSE STRING           # trustRevocationOff
  | REVOCATION POLICY ref                   # trustRevocationPolicy
  | NAME STRING                             # trustName
  | allowItem                               # trustAllow
  ;

identityProvider: IDENTITY_PROVIDER ident fromClause? (LBRACE idpItem* RBRACE)?;
idpItem
  : NAME STRING                                          # idpName
  | CREDENTIALS credential (COMMA credential)*           # idpCredentials
  | VALIDATION value=(CERTIFICATE | PATH | REVOCATION)   # idpValidation
  | TRUST ref (COMMA ref)*                               # idpTrust
  | USER STRING (LBRACE userItem* RBRACE)?               # idpUser
  | USER NAME STRING (LBRACE userItem* RBRACE)?          # idpLoginlessUser
  ;
credential: X509 | SAML;
userItem
  : DN STRING           # userDn
  | CERT ref            # userCert
  | ATTACH ref          # userAttach
  | EMAIL STRING        # userEmail
  | FIRST_NAME STRING   # userFirstName
  | LAST_NAME STRING    # userLastName
  | NOTE STRING         # userNote
  ;

revocationPolicy: REVOCATION_POLICY ident fromClause? (LBRACE revocationPolicyItem* RBRACE)?;
revocationPolicyItem
  : NAME STRING                                                        # rpName
  | DEFAULT_POLICY                                                     # rpDefaultPolicy
  | CONTINUE_ON_UNAVAILABLE                                            # rpContinueOnUnavailable
  | DEFAULT_SUCCESS                                                    # rpDefaultSuccess
  | CHECK value=(OCSP | CRL) FROM CERTIFICATE (MATCHING STRING)? checkBody?  # rpCheckFromCertificate
  | CHECK value=(OCSP | CRL) URL STRING checkBody?                     # rpCheckUrl
  ;
checkBody: LBRACE checkItem* RBRACE;
checkItem
  : ALLOW_ISSUER_SIGNATURE     # checkAllowIssuerSignature
  | SIGNER ref (COMMA ref)*    # checkSigner
  ;

keystoreDecl: KEYSTORE ident fromClause? (LBRACE keystoreItem* RBRACE)?;
keystoreItem
  : FORMAT value=(JKS | PKCS12 | PEM)              # keystoreFormat
  | PATH STRING                                    # keystorePath
  | PASSWORD ENV STRING                            # keystorePasswordEnv
  | PASSWORD FILE STRING                           # keystorePasswordFile
  | PASSWORD NONE                                  # keystorePasswordNone
  | HOST STRING                                    # keystoreHost
  | CREATE                                         # keystoreCreate
  | TRUST ref (AS STRING)? (LBRACE entryItem* RBRACE)?  # keystoreTrust
  | REMOVE STRING                                  # keystoreRemove
  ;
entryItem
  : REPLACE                   # entryReplace
  | REQUIRE_ENDPOINT STRING   # entryRequireEndpoint
  ;

templateDecl
  : TEMPLATE TRUST ident fromClause? LBRACE trustItem* RBRACE                  # trustTemplate
  | TEMPLATE KEYSTORE ident fromClause? LBRACE keystoreItem* RBRACE            # keystoreTemplate
  | TEMPLATE IDENTITY_PROVIDER ident fromClause? LBRACE idpItem* RBRACE        # idpTemplate
  | TEMPLATE POLICY ident fromClause? LBRACE policyItem* RBRACE                # policyTemplate
  | TEMPLATE REVOCATION_POLICY ident fromClause? LBRACE revocationPolicyItem* RBRACE  # revocationPolicyTemplate
  ;

policyDecl: POLICY fromClause? (LBRACE policyItem* RBRACE)?;
policyItem
  : MIN_RSA_BITS INT                                   # policyMinRsaBits
  | MIN_EC_BITS INT                                    # policyMinEcBits
  | FORBID_SIGNATURE hashName (COMMA hashName)*        # policyForbidSignature
  | EXPIRY WARN_WITHIN DURATION                        # policyExpiry
  | REQUIRE_PIN value=(NONE | ANCHORS | ALL)           # policyRequirePin
  | RULE ident level=(ERROR | WARNING | NOTE | OFF)    # policyRule
  ;
hashName: ident | SHA256;

ref: ident (DOT ident)?;
ident: ID;
