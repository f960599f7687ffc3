package admin

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// eachCodeFile calls fn with the path of every Go file of the code base
// that is not a test: what the catalogue tests check its messages against.
func eachCodeFile(t *testing.T, fn func(path string) error) {
	t.Helper()
	root := filepath.Join("..", "..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "vendor" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		return fn(path)
	})
	if err != nil {
		t.Fatal(err)
	}
}
