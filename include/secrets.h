/* secrets.h — the credentials a mailbox or [smtp] names: a password_file (a regular file only
 * its owner may read, mode 0600) or a token_command (prints an OAuth2 bearer token). */
#ifndef LIAISON_SECRETS_H
#define LIAISON_SECRETS_H

/* What is wrong with path as the secret file of key ("password_file PATH: ..." — missing,
 * not a regular file, readable by group or others), or NULL when it will do.  The caller
 * frees. */
char *secret_file_problem(const char *key, const char *path);

/* Reads the secret of a password_file (first line, without the newline), or runs a
 * token_command and takes the first line of its output.  Returns a new string the caller
 * wipes with free_secret, or NULL with *error_r. */
char *config_read_secret(const char *password_file, const char *token_command, char **error_r);

#endif
