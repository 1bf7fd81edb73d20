/* lang.c — count common function words of each language; answer in the one that clearly
 * wins, bilingually otherwise.  Good enough to pick a template, and never wrong in a way
 * that hides the 9-1-1 line: the bilingual reply carries it in both languages. */
#include "lang.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

/* Frequent words that are rare in the other language (so "a", "no", "me" are left out). */
static const char *const spanish[] = {
	"de", "la", "que", "el", "en", "los", "las", "del", "por", "para", "con", "una", "su",
	"es", "lo", "como", "pero", "muy", "hay", "mi", "mis", "nos", "tengo", "tiene", "puedo",
	"hola", "gracias", "ayuda", "necesito", "quiero", "estoy", "somos", "nuestro", "nuestra",
	"usted", "ustedes", "porque", "cuando", "donde", "también", "miedo", "casa", "esposo",
	"hijo", "hija", "policía", "ahora", "sí", "qué", "está", "él", "ella", "buenos", "días",
	"favor", "solicitud", "evento", "pregunta", "queja", "sobre", "alguien", "quisiera",
};
static const char *const english[] = {
	"the", "and", "to", "of", "is", "you", "that", "it", "for", "on", "with", "my", "i",
	"we", "have", "be", "this", "are", "was", "our", "can", "would", "please", "thank",
	"thanks", "hello", "hi", "help", "need", "want", "about", "your", "from", "what", "when",
	"there", "they", "will", "know", "who", "how", "just", "could", "should", "been", "am",
	"afraid", "home", "event", "question", "complaint", "someone", "trooper", "police",
};

static int in_list(const char *const *list, size_t n, const char *word, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && strncmp(list[i], word, len) == 0)
			return 1;
	return 0;
}

/* Word characters: ASCII letters and any UTF-8 byte (accented letters). */
static int word_byte(unsigned char c)
{
	return isalpha(c) || c >= 0x80;
}

static void count_words(const char *s, int *es, int *en)
{
	int line_start = 1;
	int quoted = 0;
	char word[32];
	while (*s) {
		if (line_start) {
			const char *p = s;
			while (*p == ' ' || *p == '\t')
				p++;
			quoted = *p == '>';
			line_start = 0;
		}
		if (*s == '\n') {
			line_start = 1;
			s++;
			continue;
		}
		/* Marks only Spanish uses. */
		if (!quoted && (strncmp(s, "¿", 2) == 0 || strncmp(s, "¡", 2) == 0 ||
		                strncmp(s, "ñ", 2) == 0))
			(*es)++;
		if (!word_byte((unsigned char)*s)) {
			s++;
			continue;
		}
		size_t len = 0;
		while (word_byte((unsigned char)*s)) {
			if (len < sizeof(word) - 1)
				word[len++] = (char)tolower((unsigned char)*s);
			s++;
		}
		if (quoted || len >= sizeof(word) - 1)
			continue;
		word[len] = '\0';
		if (in_list(spanish, sizeof(spanish) / sizeof(*spanish), word, len))
			(*es)++;
		else if (in_list(english, sizeof(english) / sizeof(*english), word, len))
			(*en)++;
	}
}

const char *lang_detect(const char *subject, const char *text)
{
	int es = 0, en = 0;
	if (subject)
		count_words(subject, &es, &en);
	if (text)
		count_words(text, &es, &en);
	if (es >= 3 && es >= 2 * en)
		return "es";
	if (en >= 3 && en >= 2 * es)
		return "en";
	return "both";
}
