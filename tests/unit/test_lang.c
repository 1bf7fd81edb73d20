/* Unit tests: lang.c — the reply language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "lang.h"

struct lang_case {
	const char *subject, *text, *want;
};

static void test_detect(void **state)
{
	static const struct lang_case cases[] = {
		{"Necesito ayuda", "Hola,\n\nMi esposo me pega y tengo miedo. No puedo llamar desde la casa. "
		                   "¿Me pueden ayudar?\n", "es"},
		{"Queja sobre una parada de tráfico", "Me pararon en la ruta 9 cerca de Hartford y el "
		                                      "policía fue muy grosero.", "es"},
		{"Coffee with a Cop?", "We'd like to set up a Coffee with a Cop at our diner in Putnam. "
		                       "Is next Tuesday possible?", "en"},
		{"I need advice", "My partner gets violent when he drinks and I am afraid to go home.", "en"},
		/* Quoted English does not outvote a Spanish reply. */
		{"RE: Ayuda", "Gracias por su respuesta. El jueves está bien para mí.\n\n"
		              "> Thank you for reaching out. I would be glad to help. Could you share a\n"
		              "> phone number and a good time to talk this week? The trooper will call.\n", "es"},
		{"Hola", "ok", "both"},
		{"", "", "both"},
		{NULL, NULL, "both"},
		{"Help / Ayuda", "Please help me. Por favor ayuda, tengo miedo. I am at home with my kids "
		                 "and he is here.", "both"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *got = lang_detect(cases[i].subject, cases[i].text);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: expected %s, got %s", i, cases[i].want, got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
