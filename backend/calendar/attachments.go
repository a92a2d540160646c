package calendar

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"hearth/backend/errs"
	"hearth/backend/privatefile"
)

// attachmentsDir is where an item's files live, under the workspace directory.
func attachmentsDir(itemID string) string { return path.Join("attachments", itemID) }

// attach copies the files at srcs into the item's attachments folder and returns existing plus
// the new attachments, and the workspace paths of the files it created. A name already used
// gets a " (2)" suffix. Copies are synced to disk before the record naming them commits.
func (s *Service) attach(itemID string, existing []Attachment, srcs []string) (all []Attachment, created []string, err error) {
	all = append([]Attachment{}, existing...)
	if len(srcs) == 0 {
		return all, nil, nil
	}
	if s.dir == "" {
		return nil, nil, errs.New(errs.Unavailable, "calendar_no_attachments", "calendar: no workspace directory for attachments")
	}
	dir := filepath.Join(s.dir, filepath.FromSlash(attachmentsDir(itemID)))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, errs.Wrap(errs.Unavailable, "calendar_attachment_failed", err, "calendar: create attachments folder")
	}
	for i, src := range srcs {
		name := freeName(all, filepath.Base(src))
		size, err := copyFile(src, filepath.Join(dir, name))
		if err != nil {
			s.removeFiles(created)
			field := errs.Field(fmt.Sprintf("attach[%d]", i), "file_unreadable", "value", filepath.Base(src))
			return nil, nil, &errs.Error{Kind: errs.Invalid, Code: "invalid_input", Msg: "calendar: cannot attach " + src,
				Fields: []errs.FieldError{field}, Err: err}
		}
		rel := path.Join(attachmentsDir(itemID), name)
		created = append(created, rel)
		all = append(all, Attachment{Name: name, Path: rel, Size: size})
	}
	return all, created, nil
}

// freeName returns name, or "name (2).ext", "name (3).ext"... if an attachment has it.
func freeName(existing []Attachment, name string) string {
	taken := func(n string) bool {
		return slices.ContainsFunc(existing, func(a Attachment) bool { return strings.EqualFold(a.Name, n) })
	}
	if !taken(name) {
		return name
	}
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 2; ; i++ {
		if n := fmt.Sprintf("%s (%d)%s", stem, i, ext); !taken(n) {
			return n
		}
	}
}

// copyFile copies the regular file src to dst, owner-only and whole or not at all
// (privatefile.Write): a failed or interrupted copy leaves no half attachment behind.
func copyFile(src, dst string) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	if st, err := in.Stat(); err != nil || !st.Mode().IsRegular() {
		return 0, errors.Join(err, errors.New("not a regular file"))
	}
	var n int64
	err = privatefile.Write(dst, func(w io.Writer) error {
		var err error
		n, err = io.Copy(w, in)
		return err
	})
	return n, err
}

// removeFiles deletes attachment files by workspace path; best effort.
func (s *Service) removeFiles(rels []string) {
	for _, rel := range rels {
		_ = os.Remove(filepath.Join(s.dir, filepath.FromSlash(rel)))
	}
}

// removeAttachments deletes an item's attachments folder; best effort.
func (s *Service) removeAttachments(itemID string) {
	if s.dir != "" {
		_ = os.RemoveAll(filepath.Join(s.dir, filepath.FromSlash(attachmentsDir(itemID))))
	}
}
