module github.com/vectorpin/vectorpin/bindings/go

go 1.19
