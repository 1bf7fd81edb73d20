/* Unit tests: ops_policy.c — the phrases of a reply that ask about immigration status
 * (directive H.2.a), in English and Spanish: what must warn (questions however they are
 * written: case, accents, spaces and line breaks, typographic apostrophes, texting), what must
 * not (ordinary words about documents and papers, reassurances that we never ask, the
 * correspondent's own words quoted), what a hit reports, and that no text liaison ships asks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ops_policy.h"
#include "test_helpers.h"

/* A text, and the phrase (as written) and rule its first hit must be. */
struct positive {
	const char *text, *phrase, *rule;
};

static const struct positive positives[] = {
	/* English: documented, legal, a citizen */
	{"Are you documented?", "Are you documented", "asks-documented"},
	{"Thanks. are you undocumented", "are you undocumented", "asks-documented"},
	{"ARE YOU LEGAL?", "ARE YOU LEGAL", "asks-documented"},
	{"Before we meet: are you legal.", "are you legal", "asks-documented"},
	{"Are you a citizen?", "Are you a citizen", "asks-documented"},
	{"Are you a U.S. citizen?", "Are you a U.S. citizen", "asks-documented"},
	{"Is your husband a citizen?", "Is your husband a citizen", "asks-documented"},
	{"Are you all citizens?", "Are you all citizens", "asks-documented"},
	{"Is she an immigrant?", "Is she an immigrant", "asks-documented"},
	{"Are you a permanent resident?", "Are you a permanent resident", "asks-documented"},
	{"Are you here legally?", "you here legally", "asks-documented"},
	{"Are you in the country legally?", "you in the country legally", "asks-documented"},
	{"Is your brother living here illegally?", "your brother living here illegally",
	 "asks-documented"},
	{"I need to know if you're undocumented.", "if you're undocumented", "asks-documented"},
	{"Are   you\n  documented?", "Are   you\n  documented", "asks-documented"},
	{"r u legal?", "r u legal", "asks-documented"},
	{"Are you guys documented?", "Are you guys documented", "asks-documented"},
	{"Is anyone in your household undocumented?", "Is anyone in your household undocumented",
	 "asks-documented"},
	{"Are you an illegal?", "Are you an illegal", "asks-documented"},
	{"Are you a legal immigrant?", "Are you a legal immigrant", "asks-documented"},
	{"Are you a DACA recipient?", "Are you a DACA recipient", "asks-documented"},
	{"Are you here on a student visa?", "Are you here on a student visa", "asks-documented"},
	{"Are you legally allowed to work?", "legally allowed to work", "asks-documented"},
	/* English: status */
	{"What is your immigration status?", "What is your immigration status", "asks-status"},
	{"What\xe2\x80\x99s your status?", "What\xe2\x80\x99s your status", "asks-status"},
	{"whats ur status", "whats ur status", "asks-status"},
	{"Tell me about your visa status.", "your visa status", "asks-status"},
	{"Is your status in this country settled?", "your status in this country", "asks-status"},
	{"Do you have documents with you?", "Do you have documents", "asks-papers"},
	{"Is your paperwork in order?", "paperwork in order", "asks-status"},
	/* English: papers */
	{"Are your papers in order?", "your papers", "asks-papers"},
	{"Please send a copy of your green card.", "your green card", "asks-papers"},
	{"Do you have papers?", "Do you have papers", "asks-papers"},
	{"Do you have any paperwork?", "Do you have any paperwork", "asks-papers"},
	{"Do you have a green card or a work permit?", "Do you have a green card", "asks-papers"},
	{"Does your son have a visa?", "Does your son have a visa", "asks-papers"},
	{"Have you got your papers with you?", "Have you got your papers", "asks-papers"},
	{"Do you have valid documents?", "Do you have valid documents", "asks-papers"},
	{"Can you show me your papers", "your papers", "asks-papers"},
	{"Bring your immigration documents.", "immigration documents", "asks-papers"},
	{"Please bring your documents.", "bring your documents", "asks-papers"},
	{"We need proof of citizenship.", "proof of citizenship", "asks-papers"},
	{"Papers?", "Papers", "asks-papers"},
	{"Do you have your Green Card?", "Do you have your Green Card", "asks-papers"},
	{"Do you and your family have papers?", "Do you and your family have papers",
	 "asks-papers"},
	{"Do you have legal status?", "Do you have legal status", "asks-papers"},
	{"Do you have DACA?", "Do you have DACA", "asks-papers"},
	/* English: social security number, asked for */
	{"What is your social security number?", "What is your social security number",
	 "asks-ssn"},
	{"Please send us your SSN.", "send us your SSN", "asks-ssn"},
	{"Do you have a Social Security number?", "have a Social Security number", "asks-ssn"},
	{"And your social security #?", "social security #", "asks-ssn"},
	/* English: entry and origin */
	{"How did you come to this country?", "How did you come to this country", "asks-entry"},
	{"Did you enter the U.S. legally?", "Did you enter the U.S. legally", "asks-entry"},
	{"When did you come to the United States?", "When did you come to the United States",
	 "asks-entry"},
	{"Did you overstay your visa?", "overstay your visa", "asks-entry"},
	{"How long have you been in this country?", "How long have you been in this country",
	 "asks-entry"},
	{"What country are you from?", "What country are you", "asks-origin"},
	{"Were you born here?", "Were you born here", "asks-origin"},
	{"Where were you born?", "Where were you born", "asks-origin"},
	{"What is your nationality?", "your nationality", "asks-origin"},
	{"Where are you originally from?", "Where are you originally from", "asks-origin"},
	/* English: the words of status */
	{"I can refer you to a lawyer about immigration status.", "immigration status",
	 "names-status"},
	{"Green card holders can also apply.", "Green card", "names-status"},
	{"We help undocumented families.", "undocumented", "names-status"},
	{"Many people without papers call us.", "without papers", "names-status"},
	/* Spanish: papers */
	{"¿Tiene papeles?", "Tiene papeles", "asks-papers"},
	{"tiene papeles", "tiene papeles", "asks-papers"},
	{"¿Tienes papeles?", "Tienes papeles", "asks-papers"},
	{"¿Usted tiene sus papeles?", "tiene sus papeles", "asks-papers"},
	{"¿Tiene green card?", "Tiene green card", "asks-papers"},
	{"¿Tiene usted tarjeta verde?", "Tiene usted tarjeta verde", "asks-papers"},
	{"¿Tiene documentos?", "Tiene documentos", "asks-papers"},
	{"¿Tiene papeles para trabajar?", "Tiene papeles", "asks-papers"},
	{"¿Tiene papeles de inmigración?", "Tiene papeles", "asks-papers"},
	{"¿Tiene la ciudadanía?", "Tiene la ciudadanía", "asks-papers"},
	{"¿Sus papeles están en regla?", "Sus papeles", "asks-papers"},
	{"Traiga sus documentos, por favor.", "Traiga sus documentos", "asks-papers"},
	{"Necesitamos una prueba de ciudadanía.", "prueba de ciudadanía", "asks-papers"},
	{"¿Cuál es su mica?", "su mica", "asks-papers"},
	{"PAPELES?", "PAPELES", "asks-papers"},
	{"¿Tiene DACA?", "Tiene DACA", "asks-papers"},
	{"¿Tiene usted algún documento migratorio?", "Tiene usted algún documento migratorio",
	 "asks-papers"},
	{"¿Tiene usted estatus legal?", "Tiene usted estatus", "asks-papers"},
	{"¿Cuenta con permiso de trabajo?", "Cuenta con permiso de trabajo", "asks-papers"},
	/* Spanish: legal, a citizen */
	{"¿Es usted legal?", "Es usted legal", "asks-documented"},
	{"¿es usted legal en este país?", "es usted legal", "asks-documented"},
	{"¿Es legal?", "Es legal", "asks-documented"},
	{"¿Es ciudadano?", "Es ciudadano", "asks-documented"},
	{"¿Eres ciudadana americana?", "Eres ciudadana", "asks-documented"},
	{"¿ES  USTED\nCIUDADANO?", "ES  USTED\nCIUDADANO", "asks-documented"},
	{"¿Está usted aquí legalmente?", "Está usted aquí legalmente", "asks-documented"},
	{"¿Está documentado?", "Está documentado", "asks-documented"},
	{"¿Su esposo es indocumentado?", "es indocumentado", "asks-documented"},
	{"Necesito saber si usted es legal.", "si usted es legal", "asks-documented"},
	{"¿Vive usted aquí ilegalmente?", "Vive usted aquí ilegalmente", "asks-documented"},
	{"¿Usted es legal?", "es legal", "asks-documented"},
	{"¿Está aquí con papeles?", "Está aquí con papeles", "asks-documented"},
	/* Spanish: status */
	{"¿Cuál es su estatus migratorio?", "su estatus migratorio", "asks-status"},
	{"¿Cuál es su estatus?", "su estatus", "asks-status"},
	{"¿Cuál es tu situación migratoria?", "tu situación migratoria", "asks-status"},
	{"¿Tiene sus papeles en orden?", "Tiene sus papeles", "asks-papers"},
	{"Hablemos del estatus migratorio.", "estatus migratorio", "names-status"},
	{"Su situación migratoria", "Su situación migratoria", "asks-status"},
	{"la SITUACION MIGRATORIA de la familia", "SITUACION MIGRATORIA", "names-status"},
	{"la situacio\xcc\x81n migratoria", "situacio\xcc\x81n migratoria", "names-status"},
	{"Ayudamos a personas indocumentadas.", "indocumentadas", "names-status"},
	{"Mucha gente sin papeles tiene miedo.", "sin papeles", "names-status"},
	{"una persona indocumentado", "indocumentado", "names-status"},
	/* Spanish: social security number, entry, origin */
	{"¿Cuál es su número de seguro social?", "Cuál es su número de seguro social", "asks-ssn"},
	{"Envíenos su número de Seguro Social.", "Envíenos su número de Seguro Social",
	 "asks-ssn"},
	{"¿Tiene seguro social?", "Tiene seguro social", "asks-ssn"},
	{"¿Cómo entró al país?", "Cómo entró al país", "asks-entry"},
	{"¿Cuándo llegó a los Estados Unidos?", "Cuándo llegó a los Estados Unidos", "asks-entry"},
	{"¿Cruzó la frontera sin papeles?", "Cruzó la frontera sin papeles", "asks-entry"},
	{"¿Cuánto tiempo lleva en este país?", "Cuánto tiempo lleva en este país", "asks-entry"},
	{"¿De qué país es usted?", "De qué país es", "asks-origin"},
	{"¿Dónde nació?", "Dónde nació", "asks-origin"},
	{"¿Cuál es su nacionalidad?", "su nacionalidad", "asks-origin"},
	/* a reassurance covers what it names, not a question after it */
	{"We never ask about immigration status, but are you a citizen?", "are you a citizen",
	 "asks-documented"},
	{"No le preguntamos por su estatus. ¿Tiene papeles?", "Tiene papeles", "asks-papers"},
	/* the correspondent's words quoted; the liaison's question below them */
	{"> I have no papers.\nDo you have a green card?", "Do you have a green card",
	 "asks-papers"},
};

/* Texts that must not warn. */
static const char *const negatives[] = {
	/* English: ordinary documents, papers, status, legal */
	"Thank you for the documents you sent. I will read them today.",
	"Do you have any documents about the incident?",
	"Do you have the paperwork from the court?",
	"Please fill out the paperwork for the event.",
	"I read the papers you left at the desk.",
	"Thank you for your paper on the neighborhood watch.",
	"Your complaint is documented and the report number is 42.",
	"The incident is documented in our report.",
	"The status of your complaint is open.",
	"Are you available on Thursday at 3 p.m.?",
	"Are you the legal guardian of the child?",
	"Are you a resident of Trumbull?",
	"Legal aid is available at the library.",
	"Someone parked here illegally last night.",
	"How did you get here today? The bus?",
	"We received the green light from the coordinator.",
	"Visa and cash are accepted at the fair.",
	"Do you have any questions?",
	"Please send the documents to my email.",
	"We can talk in English or Spanish.",
	"Are you sure the meeting is on Monday?",
	"Are you allowed to bring your children? Yes, of course.",
	"Is everyone in the group available?",
	"Do you think we could meet at the library?",
	/* English: reassurances */
	"We do not ask about immigration status.",
	"We never ask about your immigration status or your papers.",
	"We don\xe2\x80\x99t ask anyone about their immigration status.",
	"Your immigration status does not matter to us.",
	"Immigration status is not something we ask about.",
	"You can report a crime regardless of your immigration status.",
	"No matter what your immigration status is, you can call us.",
	"Whether or not you are documented, you can call us.",
	"Even if you are undocumented, the police will help you.",
	"Nobody will ask about your papers.",
	"You do not need papers to report a crime.",
	"We will never ask for your Social Security number. Do not share your SSN with callers.",
	"Liaisons do not check anyone's green card, visa or citizenship.",
	"We don't care if you're undocumented.",
	"You won't be asked about your status.",
	"Your papers are not needed.",
	/* English: the correspondent's words quoted */
	"> I am undocumented, do you need my papers?\n> Are you legal to ask?\n"
	"Thank you for writing to us.",
	/* Spanish: ordinary documents, papers, status */
	"Gracias por los documentos que nos envió.",
	"Recibimos los documentos del accidente.",
	"¿Tiene los papeles del carro?",
	"¿Tiene usted los documentos que le pedimos?",
	"Su queja está documentada con el número 42.",
	"No es legal estacionarse en esa calle.",
	"¿Está disponible el jueves?",
	"¿Cuál es el estatus de su caso?",
	"Le informamos sobre el estado de su queja.",
	"Vamos a visitar su residencia mañana.",
	"Su situación es difícil y queremos ayudarle.",
	"¿Es usted la madre del niño?",
	/* Spanish: reassurances */
	"No le preguntamos por su estatus migratorio.",
	"No importa su situación migratoria.",
	"Sin importar su estatus migratorio, puede denunciar un delito.",
	"Aunque usted no tenga papeles, puede llamarnos.",
	"Tenga o no tenga papeles, le ayudamos.",
	"Nunca le pediremos su número de seguro social.",
	"No necesita papeles para hablar con nosotros.",
	"Nadie le va a preguntar si tiene papeles o si es ciudadano.",
	"Su estatus migratorio no importa para denunciar.",
	"La policía no pregunta por la situación migratoria de nadie.",
	"Usted no tiene que decirnos su estatus migratorio.",
	"Sin importar si tiene papeles, puede llamar.",
	"Le ayudamos aunque sea indocumentado.",
	"No pedimos documentos ni preguntamos si es ciudadano.",
};

/* The first hit of text, or NULL; the caller frees the hits. */
static const struct policy_hit *first_hit(const char *text, struct policy_hits *hits)
{
	char *error = NULL;
	int n = ops_policy_check(text, hits, &error);
	assert_null(error);
	assert_true(n >= 0);
	assert_int_equal((size_t)n, hits->n);
	return n > 0 ? &hits->v[0] : NULL;
}

static void test_positives(void **state)
{
	(void)state;
	int failures = 0;
	for (size_t i = 0; i < sizeof(positives) / sizeof(*positives); i++) {
		struct policy_hits hits;
		const struct policy_hit *h = first_hit(positives[i].text, &hits);
		if (h == NULL || strcmp(h->phrase, positives[i].phrase) != 0 ||
		    strcmp(h->rule, positives[i].rule) != 0) {
			fprintf(stderr, "missed: \"%s\": want '%s' (%s), got '%s' (%s)\n",
			        positives[i].text, positives[i].phrase, positives[i].rule,
			        h ? h->phrase : "nothing", h ? h->rule : "-");
			failures++;
		}
		ops_policy_hits_free(&hits);
	}
	assert_int_equal(failures, 0);
}

static void test_negatives(void **state)
{
	(void)state;
	int failures = 0;
	for (size_t i = 0; i < sizeof(negatives) / sizeof(*negatives); i++) {
		struct policy_hits hits;
		const struct policy_hit *h = first_hit(negatives[i], &hits);
		if (h != NULL) {
			fprintf(stderr, "false alarm: \"%s\": '%s' (%s)\n", negatives[i], h->phrase,
			        h->rule);
			failures++;
		}
		ops_policy_hits_free(&hits);
	}
	assert_int_equal(failures, 0);
}

/* Every hit of a text, in order, with where it is; overlapping rules give one hit. */
static void test_hits(void **state)
{
	(void)state;
	const char *text = "Hola Ana,\n\n¿Tiene papeles? Also: are you\ndocumented? And your green "
	                   "card, please.\n";
	struct policy_hits hits;
	char *error = NULL;
	assert_int_equal(ops_policy_check(text, &hits, &error), 3);
	assert_string_equal(hits.v[0].phrase, "Tiene papeles");
	assert_int_equal(hits.v[0].offset, (size_t)(strstr(text, "Tiene") - text));
	assert_int_equal(hits.v[0].length, strlen("Tiene papeles"));
	assert_string_equal(hits.v[1].phrase, "are you\ndocumented");
	assert_string_equal(hits.v[1].rule, "asks-documented");
	assert_string_equal(hits.v[2].phrase, "your green card");
	assert_string_equal(hits.v[2].why,
	                    "asks for papers, a green card, a visa or other proof of status");
	char *said = ops_policy_describe(&hits, 1);
	assert_string_equal(said, "'Tiene papeles' (asks for papers, a green card, a visa or other "
	                          "proof of status); 'are you documented' (asks whether someone is "
	                          "documented, legal, a citizen or an immigrant); 'your green card' "
	                          "(asks for papers, a green card, a visa or other proof of status)");
	free(said);
	said = ops_policy_describe(&hits, 0);
	assert_string_equal(said, "'Tiene papeles' (asks-papers); 'are you documented' "
	                          "(asks-documented); 'your green card' (asks-papers)");
	free(said);
	ops_policy_hits_free(&hits);
	assert_int_equal(ops_policy_check(NULL, &hits, &error), 0);
	said = ops_policy_describe(&hits, 1);
	assert_string_equal(said, "");
	free(said);
	ops_policy_hits_free(&hits);
}

/* A stray byte neither hides a phrase nor shifts where it is. */
static void test_bytes(void **state)
{
	(void)state;
	const char *text = "\xff\xfe are you documented\x80?";
	struct policy_hits hits;
	const struct policy_hit *h = first_hit(text, &hits);
	assert_non_null(h);
	assert_string_equal(h->phrase, "are you documented");
	assert_int_equal(h->offset, 3);
	ops_policy_hits_free(&hits);
}

/* A long reply (a thread quoted in full, a pasted document) is searched to its end, under
 * the match limits, in reasonable time. */
static void test_long_text(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, SIZE_MAX);
	for (int i = 0; i < 4000; i++)
		buf_addstr(&b, "No sé si puede venir, no importa, nunca es tarde; we do not know if "
		               "you can come, it does not matter and the documents are fine.\n");
	buf_addstr(&b, "¿Tiene papeles?\n");
	clock_t t0 = clock();
	struct policy_hits hits;
	const struct policy_hit *h = first_hit(b.data, &hits);
	double seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_non_null(h);
	assert_string_equal(h->phrase, "Tiene papeles");
	assert_int_equal(hits.n, 1);
	fprintf(stderr, "%zu bytes checked in %.3f s\n", b.len, seconds);
	assert_true(seconds < 5.0);
	ops_policy_hits_free(&hits);
	buf_free(&b);
}

/* Every text liaison ships (auto-replies, notices, referrals, saved replies) passes. */
static int check_folder(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int files = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		struct stat st;
		assert_int_equal(stat(path, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			files += check_folder(path);
		} else {
			char *text = NULL, *error = NULL;
			size_t len = 0;
			assert_int_equal(file_read_all(path, 1 << 20, &text, &len, &error), 0);
			struct policy_hits hits;
			const struct policy_hit *h = first_hit(text, &hits);
			if (h != NULL)
				fprintf(stderr, "%s: '%s' (%s)\n", path, h->phrase, h->rule);
			assert_null(h);
			ops_policy_hits_free(&hits);
			free(text);
			files++;
		}
		free(path);
	}
	closedir(d);
	return files;
}

static void test_shipped_texts(void **state)
{
	(void)state;
	assert_true(check_folder("templates") >= 7); /* the tests run from the top of the tree */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_positives),
		cmocka_unit_test(test_negatives),
		cmocka_unit_test(test_hits),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_long_text),
		cmocka_unit_test(test_shipped_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
