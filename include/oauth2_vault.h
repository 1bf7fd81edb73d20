/* oauth2_vault.h — a refresh token sealed at rest: XSalsa20-Poly1305 (libsodium's
 * crypto_secretbox) with a 32-byte key kept in its own file (0600), so that the token file, a
 * backup of it or a copy of the folder is useless without the key.
 *
 * The sealed file is the line "liaison-vault 1\n" (format and version), the 24-byte nonce,
 * then the box (16-byte tag and ciphertext).
 *
 * oauth2_vault.c is libsodium's second user (password.c hashes the console's passwords). */
#ifndef LIAISON_OAUTH2_VAULT_H
#define LIAISON_OAUTH2_VAULT_H

#include <stddef.h>

/* Seals secret (len bytes; a string need not end in NUL) into path: a new random nonce each
 * time, written to a temporary file in the same folder (0600), fsynced, renamed over path,
 * and the folder fsynced.  The key is read from key_file, which is created (0600, 32 random
 * bytes, refusing to replace a file that exists) when it does not exist: written whole to a
 * temporary file and linked into place, so that processes racing to create it end with the
 * first one's key.  0, or -1 with *error_r (it never contains the secret). */
int oauth2_vault_seal(const char *key_file, const char *path, const char *secret, size_t len,
                      char **error_r);

/* Opens what oauth2_vault_seal wrote: a new NUL-terminated string (wipe it with free_secret)
 * with its length in *len_r, or NULL with *error_r: a missing file ("no refresh token: run
 * liaison oauth2 login NAME" is the caller's to say: *missing_r is set to 1), a key file
 * that is missing, of the wrong size or readable by group or others, a file that is not
 * sealed with this key or was altered.  Opening never creates the key file. */
char *oauth2_vault_open(const char *key_file, const char *path, size_t *len_r, int *missing_r,
                        char **error_r);

/* Takes an exclusive lock on path + ".lock" (created 0600), waiting up to wait_seconds for
 * another process to let go: the refresh of a rotating refresh token is one process's at a
 * time (two processes using one refresh token would make the provider revoke it).  Bounded,
 * so that a stopped holder does not freeze the caller.  Returns the descriptor to pass to
 * oauth2_vault_unlock, or -1 with *error_r. */
int oauth2_vault_lock(const char *path, int wait_seconds, char **error_r);
void oauth2_vault_unlock(int fd);

#endif
