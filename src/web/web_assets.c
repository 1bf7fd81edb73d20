/* web_assets.c — /static/NAME from the files built into the program (see web_assets.h). */
#include "web_assets.h"

#include <string.h>

#include "web_assets_data.h" /* generated into the build folder by tools/embed.sh */

static const char *type_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (dot != NULL && strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (dot != NULL && strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	if (dot != NULL && strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	return "application/octet-stream";
}

void web_asset(struct web_response *res, const char *name)
{
	for (size_t i = 0; i < sizeof(embedded_files) / sizeof(*embedded_files); i++)
		if (strcmp(embedded_files[i].name, name) == 0) {
			res->content_type = type_of(name);
			res->cacheable = 1;
			buf_add(&res->body, embedded_files[i].data, embedded_files[i].len);
			return;
		}
	web_plain(res, 404, "Not found.");
}
