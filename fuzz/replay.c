/*
 * replay - run a fuzz target over files, without libFuzzer
 *
 * Linked with one fuzz_*.c, it feeds every file named on the command line
 * (directories: every regular file inside) to LLVMFuzzerTestOneInput, so
 * `make check` replays the seed corpora under whatever sanitizers the
 * build uses.  A crash is the failure; exit 1 if nothing could be read.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		if (f != NULL)
			fclose(f);
		fprintf(stderr, "replay: cannot read %s\n", path);
		return -1;
	}
	buf = malloc((size_t)len + 1);
	if (buf == NULL || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	return 0;
}

static int replay_dir(const char *dir, int *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	struct stat st;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && replay_file(path) == 0)
			(*count)++;
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	struct stat st;
	int i, count = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			replay_dir(argv[i], &count);
		else if (replay_file(argv[i]) == 0)
			count++;
	}
	printf("%s: replayed %d inputs\n", argv[0], count);
	return count > 0 ? 0 : 1;
}
