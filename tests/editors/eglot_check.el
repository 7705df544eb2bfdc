;;; eglot_check.el --- headless Emacs + eglot check of the README's configuration  -*- lexical-binding: t -*-
;; Run by tests/editors/test_other_editors.py:
;;   QWEN_SNIPPET=snippet.el emacs --batch -q -l eglot_check.el FILE
;; Prints one JSON object: the major mode, the languageId eglot sent, the diagnostics flymake got.

;; No -Q: Debian's site-start puts elpa-eglot (site-lisp/elpa) on the load-path.
(require 'eglot)
(require 'json)

;; The README's configuration: the ```elisp block that the test cuts out of README.md.
(load (getenv "QWEN_SNIPPET") nil t)

(defvar qwen-check--language-id nil)
(advice-add 'eglot--TextDocumentItem :filter-return
            (lambda (item) (setq qwen-check--language-id (plist-get item :languageId)) item))

(let* ((file (car command-line-args-left))
       (buf (find-file-noselect file))
       (deadline (+ (float-time) 30))
       diags)
  (with-current-buffer buf
    (run-hooks 'post-command-hook)
    (while (and (< (float-time) deadline)
                (progn (when (bound-and-true-p flymake-mode) (flymake-start))
                       (setq diags (flymake-diagnostics))
                       (null diags)))
      (accept-process-output nil 0.2))
    (princ (json-encode
            `((mode . ,(symbol-name major-mode))
              (languageId . ,qwen-check--language-id)
              (managed . ,(if (eglot-current-server) t :json-false))
              (diagnostics . ,(vconcat
                               (mapcar (lambda (d)
                                         `((line . ,(with-current-buffer buf
                                                      (line-number-at-pos (flymake-diagnostic-beg d))))
                                           (type . ,(format "%s" (flymake-diagnostic-type d)))
                                           (text . ,(flymake-diagnostic-text d))))
                                       diags))))))
    (terpri)
    (ignore-errors (eglot-shutdown (eglot-current-server)))))
(kill-emacs 0)
