" Vim syntax file
" Language: trustc .trust policy files (docs/language.md)
if exists('b:current_syntax')
  finish
endif

syn keyword trustDecl       param cert gateway keystore template policy
syn keyword trustImport     import as from
syn keyword trustKeyword    file name sha256 subject issuer note allow because mapping trust
syn keyword trustKeyword    anchor for verify_hostname revocation identity_provider credentials
syn keyword trustKeyword    validation user dn attach email first_name last_name format password env host
syn keyword trustKeyword    create remove replace require_endpoint min_rsa_bits min_ec_bits
syn keyword trustKeyword    forbid_signature expiry warn_within require_pin rule
syn keyword trustKeyword    revocation_policy default_policy continue_on_unavailable
syn keyword trustKeyword    default_success check url matching allow_issuer_signature signer
syn keyword trustConstant   on off default none all anchors by_name by_id jks pkcs12 pem x509 saml
syn keyword trustConstant   certificate path error warning ocsp crl
syn keyword trustPurpose    ssl signing_server_certs signing_client_certs saml_issuer
syn keyword trustPurpose    saml_attesting_entity

syn match   trustNumber     "\<\d\+d\=\>"
syn match   trustQualified  "\<\h\w*\.\h\w*\>"

syn match   trustEscape     contained +\\\([\\"nt]\|u{\x\{1,6}}\)+
syn match   trustBadEscape  contained +\\[^\\"ntu]+
syn match   trustDollar     contained "\$\$"
syn match   trustInterp     contained "\${\(env:\)\=\h\w*\(\.\h\w*\)\=}"
syn region  trustString     start=+"+ skip=+\\\\\|\\"+ end=+"+ end=+$+ oneline contains=trustEscape,trustBadEscape,trustDollar,trustInterp

syn keyword trustTodo       contained TODO FIXME XXX
syn match   trustComment    "//.*$" contains=trustTodo,@Spell
syn region  trustComment    start="/\*" end="\*/" contains=trustTodo,@Spell

hi def link trustDecl       Structure
hi def link trustImport     Include
hi def link trustKeyword    Keyword
hi def link trustConstant   Constant
hi def link trustPurpose    Type
hi def link trustNumber     Number
hi def link trustQualified  Identifier
hi def link trustString     String
hi def link trustEscape     SpecialChar
hi def link trustDollar     SpecialChar
hi def link trustInterp     PreProc
hi def link trustBadEscape  Error
hi def link trustComment    Comment
hi def link trustTodo       Todo

let b:current_syntax = 'trust'
