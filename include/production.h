/* production.h — liaison foia export: the production package of a public-records request.
 *
 * DIR/natives/   the original bytes of each message produced whole (.eml), SHA-256 checked
 *                against the store first, and its attachments, each named by Bates number
 * DIR/pdf/       one PDF per produced message: its headers and text, redactions burned in,
 *                then a slip sheet per attachment; every page stamped with the request id
 *                and its Bates number
 * DIR/production.mbox      mboxrd of the messages produced whole
 * DIR/manifest.csv, DIR/production.dat (Concordance)   one row per message and attachment
 * DIR/withholding-log.csv  every withheld message and every redaction (a Vaughn index)
 * DIR/README.txt           what the package holds and how to check it
 * DIR/SHA256SUMS           every other file, for sha256sum -c
 *
 * A message with any redaction is produced only as its redacted PDF.  The same request with
 * the same decisions gives the same Bates numbers and byte-identical files; a changed one is a
 * new production with the next numbers of the prefix. */
#ifndef LIAISON_PRODUCTION_H
#define LIAISON_PRODUCTION_H

#include <stdint.h>

#include "ops.h"
#include "store.h"
#include "store_production.h"
#include "util.h"

struct production_summary {
	int64_t bates_first, bates_last;  /* last < first: no pages */
	int64_t messages;      /* produced (native and PDF, or redacted PDF) */
	int64_t redacted;      /* of which produced only as a redacted PDF */
	int64_t withheld;      /* withheld whole (or disposed), in the log only */
	int64_t attachments;   /* slip sheets */
	int64_t unredacted_elsewhere; /* produced whole, yet holding a text redacted from another
	                                 message or copying a withheld or redacted one (each named
	                                 on stderr) */
	int again;             /* 1: the same production as an earlier export */
};

/* Writes the package into out_dir, which must not exist (it appears whole or not at all),
 * records the Bates range and audits the export.  Records staff and admins only.  A message
 * that would be produced whole while holding a text redacted from another message of the
 * request, or being another copy of a withheld or redacted one, stops the export (each is
 * named on stderr) unless allow_elsewhere.  Returns an OPS_* result with *error_r. */
int production_export(struct store *store, const struct actor *actor, const char *ref,
                      const char *out_dir, int allow_elsewhere,
                      struct production_summary *summary, char **error_r);

/* What a caller watching an export (the web console's background job) is told. */
struct production_watch {
	/* Called before the first message (done 0) and after each message of the responsive
	 * set is done (produced, withheld, or found disposed of): done of total.  From the
	 * exporting thread. */
	void (*progress)(int64_t done, int64_t total, void *ctx);
	void *ctx;
	/* When not NULL: each message that would be produced whole with what is withheld or
	 * redacted elsewhere, one line each (as said on stderr), for a page to show. */
	struct strlist *elsewhere;
};
/* production_export, watched (watch may be NULL). */
int production_export_watched(struct store *store, const struct actor *actor, const char *ref,
                              const char *out_dir, int allow_elsewhere,
                              const struct production_watch *watch,
                              struct production_summary *summary, char **error_r);

/* 1 when s is a name safe in a path and a Content-Disposition header: letters, digits, '-',
 * '_' and '.', not starting with '.', without "..". */
int production_name_safe(const char *s);

/* Opens the package file name (a "REF-....zip" of ref in folder, nothing else) for records
 * staff and admins to download, and audits the download (foia-download): the package holds
 * the messages' own bytes.  Returns OPS_OK with *fd_r (caller closes) and *size_r, or an
 * OPS_* result with *error_r (OPS_NOT_FOUND for any other name or a missing file). */
int production_package_open(struct store *store, const struct actor *actor, const char *ref,
                            const char *folder, const char *name, int *fd_r, uint64_t *size_r,
                            char **error_r);

/* The productions recorded of request ref (its Bates ranges, who, when), oldest first, for
 * those who read records.  Returns an OPS_* result with *error_r. */
int production_list(struct store *store, const struct actor *actor, const char *ref,
                    store_production_cb *cb, void *ctx, char **error_r);

#endif
