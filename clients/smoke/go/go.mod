module github.com/zcrm-sharing/zcrm-sharing/clients/smoke/go

go 1.25

require github.com/zcrm-sharing/zcrm-sharing/clients/generated/go v0.0.0

require (
	github.com/apapsch/go-jsonmerge/v2 v2.0.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/oapi-codegen/runtime v1.8.0 // indirect
)

// The generated client lives in clients/generated/go (written by clients/generate.sh, git-ignored).
replace github.com/zcrm-sharing/zcrm-sharing/clients/generated/go => ../../generated/go
