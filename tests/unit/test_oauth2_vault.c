/* Unit tests: oauth2_vault.c — a sealed refresh token opens to what was sealed, the file holds
 * none of its bytes and is 0600, two seals differ (a new nonce); another key, a changed byte
 * or a cut file is refused; a missing file says so; the key file is made 0600 once (racing
 * sealers end with one key) and refused when others may read it or it is not 32 bytes; the
 * lock keeps a second locker out until it is released. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/wait.h>

#include "oauth2_vault.h"
#include "test_helpers.h"

/* What a refresh token looks like (Entra's begin "1.A"; Google's "1//"). */
static const char token[] = "1.AXkAsecretREFRESHtoken-0123456789abcdefghijklmnopqrstuvwxyz_"
                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ.0123456789";

static char *dir;

static char *path(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void seal_ok(const char *key, const char *file, const char *secret)
{
	char *error = NULL;
	if (oauth2_vault_seal(key, file, secret, strlen(secret), &error) < 0)
		fail_msg("%s", error);
	/* success leaves no message behind (the caller would not free one) */
	assert_null(error);
}

static char *read_all(const char *file, size_t *len_r)
{
	char *data = NULL, *error = NULL;
	if (file_read_all(file, 1 << 20, &data, len_r, &error) < 0)
		fail_msg("%s", error);
	return data;
}

static void write_bytes(const char *file, const void *data, size_t len, mode_t mode)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(fd_write_all(fd, data, len), 0);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

/* Opening fails, the message names the file and says why (contains says), and quotes no
 * part of the secret. */
static void assert_refused(const char *key, const char *file, const char *says)
{
	char *error = NULL;
	size_t len = 99;
	int missing = -1;
	char *secret = oauth2_vault_open(key, file, &len, &missing, &error);
	assert_null(secret);
	assert_int_equal(missing, 0);
	assert_non_null(error);
	if (strstr(error, says) == NULL)
		fail_msg("'%s' does not say '%s'", error, says);
	assert_null(strstr(error, "secretREFRESH"));
	free(error);
}

static void test_round_trip(void **state)
{
	char *key = path("rt.key"), *file = path("rt.token");
	seal_ok(key, file, token);
	char *error = NULL;
	size_t len = 0;
	int missing = -1;
	char *secret = oauth2_vault_open(key, file, &len, &missing, &error);
	if (secret == NULL)
		fail_msg("%s", error);
	assert_string_equal(secret, token);
	assert_int_equal(len, strlen(token));
	assert_int_equal(missing, 0);
	free_secret(&secret);

	/* sealed again (a rotated token): the new one replaces it, under the same key */
	seal_ok(key, file, "1//rotated");
	secret = oauth2_vault_open(key, file, &len, &missing, &error);
	assert_non_null(secret);
	assert_string_equal(secret, "1//rotated");
	free_secret(&secret);

	/* bytes, not a string: a NUL inside survives */
	assert_int_equal(oauth2_vault_seal(key, file, "a\0b", 3, &error), 0);
	assert_null(error);
	secret = oauth2_vault_open(key, file, &len, &missing, &error);
	assert_int_equal(len, 3);
	assert_memory_equal(secret, "a\0b", 4);
	free(secret);
	free(key);
	free(file);
}

static void test_file_holds_no_secret(void **state)
{
	char *key = path("ct.key"), *file = path("ct.token");
	mode_t old = umask(0); /* even so, the file is the owner's alone */
	seal_ok(key, file, token);
	umask(old);
	size_t len = 0;
	char *sealed = read_all(file, &len);
	/* magic line, 24-byte nonce, 16-byte tag, the ciphertext */
	assert_int_equal(len, 16 + 24 + 16 + strlen(token));
	assert_memory_equal(sealed, "liaison-vault 1\n", 16);
	for (size_t i = 0; i + 8 <= strlen(token); i++)
		assert_null(memmem(sealed, len, token + i, 8));
	free(sealed);

	struct stat st;
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(key, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, 32);
	/* no temporary file is left beside them */
	char *cmd = xasprintf("ls %s | grep -c new", dir);
	FILE *p = popen(cmd, "r");
	char line[32] = "";
	assert_non_null(fgets(line, sizeof(line), p));
	pclose(p);
	assert_string_equal(line, "0\n");
	free(cmd);
	free(key);
	free(file);
}

static void test_new_nonce_each_time(void **state)
{
	char *key = path("nn.key"), *a = path("nn.a"), *b = path("nn.b");
	seal_ok(key, a, token);
	seal_ok(key, b, token);
	size_t len_a = 0, len_b = 0;
	char *sa = read_all(a, &len_a), *sb = read_all(b, &len_b);
	assert_int_equal(len_a, len_b);
	/* the nonces differ, and so does everything after them */
	assert_memory_not_equal(sa + 16, sb + 16, 24);
	assert_memory_not_equal(sa + 40, sb + 40, len_a - 40);
	free(sa);
	free(sb);
	free(key);
	free(a);
	free(b);
}

static void test_wrong_key_or_altered(void **state)
{
	char *key = path("wk.key"), *other = path("wk-other.key"), *file = path("wk.token");
	char *scratch = path("wk-other.token");
	seal_ok(key, file, token);
	seal_ok(other, scratch, "something else");
	assert_refused(other, file, "sealed with another key");

	size_t len = 0;
	char *sealed = read_all(file, &len);
	char *altered = path("wk.altered");
	/* a byte of the nonce, of the tag, of the ciphertext: each refused */
	size_t at[] = {16, 30, 40, 50, len - 1};
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		sealed[at[i]] ^= 0x01;
		write_bytes(altered, sealed, len, 0600);
		assert_refused(key, altered, "or altered");
		sealed[at[i]] ^= 0x01;
	}
	/* the magic changed: not ours */
	sealed[3] ^= 0x20;
	write_bytes(altered, sealed, len, 0600);
	assert_refused(key, altered, "not a sealed refresh token");
	sealed[3] ^= 0x20;
	/* cut short: at each length, refused */
	size_t cuts[] = {len - 1, 56, 55, 40, 16, 10, 0};
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		write_bytes(altered, sealed, cuts[i], 0600);
		assert_refused(key, altered, cuts[i] >= 56 ? "or altered"
		                             : cuts[i] >= 16 ? "cut short" : "not a sealed");
	}
	/* and the bytes as they were still open */
	write_bytes(altered, sealed, len, 0600);
	char *error = NULL;
	int missing = 0;
	char *secret = oauth2_vault_open(key, altered, &len, &missing, &error);
	assert_non_null(secret);
	assert_string_equal(secret, token);
	free_secret(&secret);
	free(sealed);
	free(altered);
	free(key);
	free(other);
	free(file);
	free(scratch);
}

static void test_missing(void **state)
{
	char *key = path("ms.key"), *file = path("ms.token");
	char *error = NULL;
	size_t len = 0;
	int missing = 0;
	/* no token file: missing, and the key file is not made by opening */
	assert_null(oauth2_vault_open(key, file, &len, &missing, &error));
	assert_int_equal(missing, 1);
	assert_non_null(strstr(error, file));
	assert_int_equal(access(key, F_OK), -1);
	free(error);
	error = NULL;

	/* a token but no key: an error, not "missing" */
	seal_ok(key, file, token);
	assert_int_equal(unlink(key), 0);
	assert_refused(key, file, "key file");
	free(key);
	free(file);
}

static void test_key_file_checked(void **state)
{
	char *key = path("kf.key"), *file = path("kf.token");
	seal_ok(key, file, token);
	size_t len = 0;
	char *bytes = read_all(key, &len);
	assert_int_equal(len, 32);

	/* readable by others: refused by open and by seal, naming the mode */
	assert_int_equal(chmod(key, 0644), 0);
	assert_refused(key, file, "readable by group or others (mode 644)");
	char *error = NULL;
	assert_int_equal(oauth2_vault_seal(key, file, token, strlen(token), &error), -1);
	assert_non_null(strstr(error, "readable by group or others"));
	free(error);
	error = NULL;
	assert_int_equal(chmod(key, 0640), 0);
	assert_refused(key, file, "readable by group or others");
	assert_int_equal(chmod(key, 0600), 0);

	/* not 32 bytes: refused, and not replaced by seal */
	write_bytes(key, bytes, 31, 0600);
	assert_refused(key, file, "31 bytes");
	assert_int_equal(oauth2_vault_seal(key, file, token, strlen(token), &error), -1);
	assert_non_null(strstr(error, "31 bytes"));
	free(error);
	size_t now_len = 0;
	char *now = read_all(key, &now_len);
	assert_int_equal(now_len, 31);
	free(now);

	/* the key back: the token opens again */
	write_bytes(key, bytes, 32, 0600);
	int missing = 0;
	char *secret = oauth2_vault_open(key, file, &len, &missing, &error);
	assert_non_null(secret);
	free_secret(&secret);
	free(bytes);
	free(key);
	free(file);
}

/* Sealers that all find the key missing at once end with one key: each one's token opens
 * with the key that is left. */
static void test_key_creation_race(void **state)
{
	enum { RACERS = 8 };
	char *key = path("race.key");
	int go[2];
	assert_int_equal(pipe(go), 0);
	pid_t pids[RACERS];
	for (int i = 0; i < RACERS; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			char c;
			close(go[1]);
			/* all start when the parent closes the pipe */
			if (read(go[0], &c, 1) != 0)
				_exit(2);
			char *file = xasprintf("%s/race.%d", dir, i);
			char *secret = xasprintf("token of racer %d", i);
			char *error = NULL;
			int r = oauth2_vault_seal(key, file, secret, strlen(secret), &error);
			int ok = r == 0 && error == NULL;
			if (!ok)
				fprintf(stderr, "racer %d: %s\n", i, error ? error : "a message left");
			free(error);
			free(file);
			free(secret);
			free(key);
			free(dir);
			_exit(ok ? 0 : 1);
		}
	}
	close(go[0]);
	close(go[1]);
	for (int i = 0; i < RACERS; i++) {
		int status = 0;
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	for (int i = 0; i < RACERS; i++) {
		char *file = xasprintf("%s/race.%d", dir, i);
		char *want = xasprintf("token of racer %d", i);
		char *error = NULL;
		size_t len = 0;
		int missing = 0;
		char *secret = oauth2_vault_open(key, file, &len, &missing, &error);
		if (secret == NULL)
			fail_msg("racer %d: %s", i, error);
		assert_string_equal(secret, want);
		free_secret(&secret);
		free(want);
		free(file);
	}
	free(key);
}

static void test_lock(void **state)
{
	char *file = path("lk.token"), *lock = path("lk.token.lock");
	char *error = NULL;
	int fd = oauth2_vault_lock(file, 30, &error);
	if (fd < 0)
		fail_msg("%s", error);
	struct stat st;
	assert_int_equal(stat(lock, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	/* a second descriptor of the lock file cannot have it meanwhile */
	int other = open(lock, O_RDWR);
	assert_true(other >= 0);
	assert_int_equal(flock(other, LOCK_EX | LOCK_NB), -1);
	assert_int_equal(errno, EWOULDBLOCK);

	/* another process waits for it, and has it only after the holder let go: it finds the
	 * note the holder wrote just before */
	char *note = path("lk.released"), *trying = path("lk.trying");
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		char *e = NULL;
		test_write_file(trying, "trying\n");
		int cfd = oauth2_vault_lock(file, 30, &e);
		int ok = cfd >= 0 && access(note, F_OK) == 0;
		oauth2_vault_unlock(cfd);
		free(e);
		free(trying);
		free(note);
		free(file);
		free(lock);
		free(dir);
		_exit(ok ? 0 : 1);
	}
	int started = 0;
	for (int i = 0; i < 1000 && !started; i++) {
		started = access(trying, F_OK) == 0;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	assert_true(started);
	/* held a little longer while the child tries (what is asserted holds however long) */
	struct timespec held = {0, 300 * 1000 * 1000};
	nanosleep(&held, NULL);
	test_write_file(note, "released\n");
	oauth2_vault_unlock(fd);
	int status = 0;
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	/* free now: the second descriptor gets it */
	assert_int_equal(flock(other, LOCK_EX | LOCK_NB), 0);

	/* held by another, the wait is bounded: an error naming the lock, not a hang */
	time_t t0 = time(NULL);
	assert_int_equal(oauth2_vault_lock(file, 1, &error), -1);
	assert_true(time(NULL) - t0 >= 1);
	assert_non_null(strstr(error, "lk.token.lock: another liaison process has held it for 1 s"));
	free(error);
	close(other);
	free(trying);
	free(note);
	free(file);
	free(lock);
}

static int setup(void **state)
{
	dir = test_tmpdir();
	return dir == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf %s", dir);
	int r = system(cmd);
	free(cmd);
	free(dir);
	return r == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_file_holds_no_secret),
		cmocka_unit_test(test_new_nonce_each_time),
		cmocka_unit_test(test_wrong_key_or_altered),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_key_file_checked),
		cmocka_unit_test(test_key_creation_race),
		cmocka_unit_test(test_lock),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
