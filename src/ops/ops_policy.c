/* ops_policy.c — the phrases of a reply that ask about immigration status (directive H.2.a).
 * See ops_policy.h.
 *
 * The text is folded first (textfold.c: lower case, no accents), so every pattern below is
 * written in folded form: "situacion", never "situación".  Each pattern belongs to a rule,
 * or is a reassurance: a hit that lies wholly inside a reassurance's match ("we never ask
 * about your immigration status") is not reported.  A reassurance covers only the words it
 * names, so "we never ask about papers, but are you documented?" still warns. */
#include "ops_policy.h"

#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "template.h"
#include "textfold.h"
#include "util.h"

/* ---- the words the patterns share ---------------------------------------------------- */

/* Whom a question is about: the person, or one of their family and household. */
#define KIN_EN "(?:husband|wife|spouse|partner|sons?|daughters?|child|children|kids?|" \
	"parents?|mother|mom|father|dad|family|brothers?|sisters?|boyfriend|girlfriend|" \
	"fiancee?|cousins?|uncle|aunt|grand\\w+|relatives?|friends?|neighbou?rs?|roommates?|" \
	"employees?|workers?|tenants?)"
#define WHO_EN "(?:you|u|ya|y'all|you\\s+all|you\\s+guys|they|he|she|" \
	"(?:your|ur|their|his|her)\\s+" KIN_EN ")"
#define ANYONE_EN "(?:" WHO_EN "|anyone|anybody|someone|somebody|everyone|everybody|" \
	"any\\s+of\\s+(?:you|them)|all\\s+of\\s+(?:you|them))"
#define COUNTRY_EN "(?:(?:the|this)\\s+country|(?:the\\s+)?(?:us|u\\.s\\.?|usa|" \
	"u\\.s\\.a\\.?|united\\s+states|states|america))"
#define KIN_ES "(?:esposo|esposa|marido|mujer|pareja|hijos?|hijas?|ninos?|ninas?|padres?|" \
	"madre|papa|mama|familia|familiares|hermanos?|hermanas?|novio|novia|primos?|primas?|" \
	"tios?|tias?|abuel\\w+|parientes?|amigos?|amigas?|vecinos?|vecinas?|companer\\w+|" \
	"empleados?|trabajadores?|inquilinos?)"
#define WHO_ES "(?:usted|ustedes|tu|el|ella|ellos|ellas|(?:su|sus|tu|tus)\\s+" KIN_ES ")"
#define PAIS_ES "(?:este\\s+pais|el\\s+pais|(?:los\\s+)?estados\\s+unidos|ee\\.?\\s?uu\\.?|" \
	"usa)"
#define SSN_EN "(?:social\\s+security\\s+(?:numbers?|cards?|#|no\\.?)|ssns?|ss\\s*#)"
#define SSN_ES "(?:(?:numero|num\\.?|no\\.?)\\s+(?:de\\s+)?seguro\\s+social|seguro\\s+social)"
/* Papers "of" something else (the car's, the house's) are not papers of status. */
#define OF_ELSE_ES "del|de\\s+(?:la|las|los|el|su|sus|mi|mis|tu|tus)"
#define NOT_OF_ELSE_ES "(?!\\s+(?:" OF_ELSE_ES ")\\b)"
/* Documents "that you sent", "about the case": the ordinary ones. */
#define NOT_ABOUT_ES "(?!\\s+(?:" OF_ELSE_ES "|que|sobre)\\b)"

/* What a reassurance may be about, alone or in a list ("your papers or your status"). */
#define POSS_EN "(?:(?:your|ur|their|his|her|anyone's|someone's|a\\s+person's|people's|" \
	"any)\\s+)?"
#define PERSON_EN "(?:you|they|someone|anyone|people|a\\s+person|he|she)(?:'re|'s|" \
	"\\s+(?:are|is|were|have|has))\\s+(?:\\w+\\s+)?"
#define TOPIC_EN POSS_EN "(?:(?:immigration|legal|visa|residency|citizenship|migratory|" \
	"migration)\\s+(?:status|papers|paperwork|documents|documentation|situation)|" \
	"immigration|status|papers|paperwork|documents|documentation|green\\s*cards?|visas?|" \
	"citizenship|nationality|country\\s+of\\s+origin|where\\s+(?:you|they|people|anyone|" \
	"someone)\\s+(?:are|were|come|came)\\s+from|" SSN_EN "|passports?|" \
	"(?:whether|if)\\s+" PERSON_EN "(?:documented|undocumented|legal|here\\s+legally|" \
	"citizens?|a\\s+citizen|immigrants?|papers|status)|" \
	PERSON_EN "(?:documented|undocumented|legal|here\\s+legally|citizens?|a\\s+citizen|" \
	"immigrants?)|undocumented)"
#define TOPICS_EN TOPIC_EN "(?:(?:\\s*[,/]\\s*(?:or\\s+|and\\s+)?|\\s+(?:or|and|nor)\\s+)" \
	TOPIC_EN "){0,4}"
#define POSS_ES "(?:(?:su|sus|tu|tus|el|la|los|las|ningun|ninguna|algun|alguna)\\s+)?"
#define TOPIC_ES POSS_ES "(?:(?:estatus|estado|situacion|condicion)(?:\\s+(?:migratori[oa]|" \
	"inmigratori[oa]|legal))?|estatus\\s+de\\s+\\w+|papeles|documentos(?:\\s+(?:migratorios|" \
	"legales|de\\s+inmigracion))?|green\\s*card|tarjeta\\s+(?:verde|de\\s+residen\\w+)|mica|" \
	"visas?|ciudadania|nacionalidad|pais\\s+de\\s+origen|residencia(?:\\s+(?:legal|" \
	"permanente))?|" SSN_ES "|indocumentad[oa]s?|ciudadan[oa]s?|inmigrantes?|" \
	"de\\s+donde\\s+(?:es|son|viene|vienen)\\w*|(?:si|que)\\s+(?:usted\\s+|ustedes\\s+)?" \
	"(?:es|esta|son|estan|tiene|tienen|tenga|tengan|sea|sean)\\s+(?:usted\\s+)?(?:\\w+\\s+)?" \
	"(?:papeles|documentos|legal(?:es)?|ciudadan[oa]s?|indocumentad[oa]s?|documentad[oa]s?|" \
	"residencia|inmigrantes?))"
#define TOPICS_ES TOPIC_ES "(?:(?:\\s*[,/]\\s*(?:o\\s+|y\\s+|ni\\s+)?|\\s+(?:o|u|y|e|ni)\\s+)" \
	TOPIC_ES "){0,4}"

/* ---- the rules --------------------------------------------------------------------------- */

enum rule_id {
	ASKS_STATUS, ASKS_DOCUMENTED, ASKS_PAPERS, ASKS_SSN, ASKS_ENTRY, ASKS_ORIGIN, NAMES_STATUS,
	N_RULES,
	REASSURANCE = N_RULES /* not a rule: what a hit inside it is not */
};

static const struct {
	const char *name, *why;
} rules[N_RULES] = {
	[ASKS_STATUS] = {"asks-status", "asks about immigration status"},
	[ASKS_DOCUMENTED] = {"asks-documented",
	                     "asks whether someone is documented, legal, a citizen or an immigrant"},
	[ASKS_PAPERS] = {"asks-papers",
	                 "asks for papers, a green card, a visa or other proof of status"},
	[ASKS_SSN] = {"asks-ssn", "asks for a social security number, which shows status"},
	[ASKS_ENTRY] = {"asks-entry", "asks how or when someone came into the country, or stays"},
	[ASKS_ORIGIN] = {"asks-origin",
	                 "asks nationality, country of origin or birthplace, which point at status"},
	[NAMES_STATUS] = {"names-status",
	                  "names immigration status: make sure the reply does not ask about it"},
};

static const struct {
	enum rule_id rule;
	const char *pattern;
} patterns[] = {
	/* What is your status; papers in order. */
	{ASKS_STATUS, "\\bwhat(?:\\s+is|'s|s)?\\s+(?:your|ur|their|his|her)\\s+(?:\\w+\\s+)?"
	              "status\\b"},
	{ASKS_STATUS, "\\b(?:your|ur|their|his|her)\\s+(?:immigration|legal|visa|residency|"
	              "citizenship|migratory|migration|documentation|daca|tps|asylum|refugee)\\s+"
	              "status\\b"},
	{ASKS_STATUS, "\\b(?:(?:your|ur|their|his|her)\\s+)?status\\s+(?:here|in\\s+"
	              COUNTRY_EN ")"},
	{ASKS_STATUS, "\\b(?:papers|paperwork|documents|documentation|status)\\s+(?:are\\s+|is\\s+)?"
	              "in\\s+order\\b"},
	{ASKS_STATUS, "\\b(?:su|tu|sus|tus)\\s+(?:estatus|status)\\b(?!\\s+de\\s+(?:su|tu|la|el|"
	              "los|las)\\s)"},
	{ASKS_STATUS, "\\b(?:su|tu|sus|tus)\\s+(?:estatus|estado|situacion|condicion)\\s+"
	              "(?:migratori[oa]|inmigratori[oa]|legal|de\\s+(?:inmigracion|residencia|"
	              "ciudadania))\\b"},
	{ASKS_STATUS, "\\b(?:papeles|documentos|estatus)\\s+(?:estan\\s+|esta\\s+)?en\\s+"
	              "(?:orden|regla)\\b"},
	/* Are you documented, legal, a citizen; ¿es usted legal?, ¿es ciudadano? */
	{ASKS_DOCUMENTED, "\\b(?:are|r|is|were|was|aren't|isn't)\\s+" ANYONE_EN "\\s+"
	                  "(?:\\w+\\s+){0,3}?(?:documented|undocumented|illegals?|(?:illegal\\s+)?"
	                  "(?:immigrants?|aliens?)|(?:(?:us|u\\.s\\.?|american)\\s+)?citizens?|"
	                  "(?:legal|permanent|lawful)\\s+(?:permanent\\s+)?residents?|"
	                  "daca\\s+recipients?|dreamers?|refugees?|asylum\\s+seekers?|asylees?)\\b"},
	/* "legal" only at the end of the question: "are you the legal guardian" asks nothing */
	{ASKS_DOCUMENTED, "\\b(?:are|r|is|were|was|aren't|isn't)\\s+" WHO_EN "\\s+(?:\\w+\\s+)?"
	                  "legal(?=\\s*(?:[?.!,;:]|$))"},
	{ASKS_DOCUMENTED, "\\b(?:are|r|is|were|was)\\s+" WHO_EN "\\s+(?:here\\s+)?(?:on|under)\\s+"
	                  "(?:an?\\s+)?(?:\\w+\\s+)?(?:visa|daca|tps|parole)\\b"},
	{ASKS_DOCUMENTED, "\\b(?:legally\\s+(?:allowed|authori[sz]ed|permitted)|authori[sz]ed)\\s+to\\s+"
	                  "(?:work|be\\s+here|live\\s+here|stay|be\\s+in\\s+" COUNTRY_EN ")"},
	{ASKS_DOCUMENTED, "\\b" WHO_EN "(?:'re|'s|\\s+(?:are|is|were|was|be|being|live|lives|"
	                  "living|stay|stays|staying|work|works|working|reside|resides|residing))?"
	                  "\\s+(?:\\w+\\s+)?(?:here|in\\s+" COUNTRY_EN ")\\s+(?:legally|illegally|"
	                  "lawfully|unlawfully|with(?:out)?\\s+(?:papers|documents|a\\s+visa|status|"
	                  "permission))\\b"},
	{ASKS_DOCUMENTED, "\\b(?:whether|if)\\s+" WHO_EN "(?:'re|'s|\\s+(?:are|is|were|was))\\s+"
	                  "(?:\\w+\\s+)?(?:documented|undocumented|legal|illegal|(?:an?\\s+)?"
	                  "(?:us\\s+|american\\s+)?citizens?|(?:an?\\s+)?immigrants?)\\b"},
	{ASKS_DOCUMENTED, "\\b(?:es|eres|son|esta|estas|estan|era|eras|eran)\\s+(?:" WHO_ES
	                  "\\s+)?(?:aqui\\s+|en\\s+" PAIS_ES "\\s+)?(?:indocumentad[oa]s?|"
	                  "ciudadan[oa]s?|residentes?\\s+(?:legal|permanente)(?:e?s)?|inmigrantes?|"
	                  "(?:de\\s+(?:forma|manera)\\s+)?(?:legal|ilegal)(?:es|mente)?(?=\\s*\\?))"},
	{ASKS_DOCUMENTED, "\\b(?:es|eres|son|esta|estas|estan)\\s+" WHO_ES "\\s+(?:aqui\\s+|en\\s+"
	                  PAIS_ES "\\s+)?(?:(?:de\\s+(?:forma|manera)\\s+)?(?:legal|ilegal)"
	                  "(?:es|mente)?|documentad[oa]s?)\\b"},
	{ASKS_DOCUMENTED, "\\b(?:es|eres|son|esta|estas|estan)\\s+documentad[oa]s?(?=\\s*\\?)"},
	{ASKS_DOCUMENTED, "\\bsi\\s+(?:usted\\s+|ustedes\\s+|el\\s+|ella\\s+)?(?:es|esta|son|estan|"
	                  "eres|estas)\\s+(?:aqui\\s+)?(?:legal(?:es|mente)?|ilegal(?:es|mente)?|"
	                  "indocumentad[oa]s?|documentad[oa]s?|ciudadan[oa]s?)\\b"},
	{ASKS_DOCUMENTED, "\\b(?:esta|estas|estan|vive|vives|viven|trabaja|trabajas|trabajan|"
	                  "vino|vinieron|entro|entraron)\\s+(?:usted\\s+|ustedes\\s+)?(?:aqui\\s+|en\\s+"
	                  PAIS_ES "\\s+)?(?:con|sin)\\s+(?:papeles|documentos|visa|permiso)\\b"},
	{ASKS_DOCUMENTED, "\\b(?:vive|vives|viven|esta|estas|estan|trabaja|trabajas|trabajan|"
	                  "reside|residen)\\s+(?:usted\\s+|ustedes\\s+)?(?:aqui|en\\s+" PAIS_ES ")\\s+"
	                  "(?:de\\s+(?:forma|manera)\\s+)?(?:legal|ilegal)(?:mente)?\\b"},
	/* Do you have papers; your green card; ¿tiene papeles?; proof of status. */
	{ASKS_PAPERS, "\\b(?:(?:do|does|did)\\s+" WHO_EN "\\s+(?:\\w+\\s+){0,3}?(?:have|hold|carry|"
	              "possess|got)|have\\s+" WHO_EN "\\s+got)\\s+(?:(?:any|a|an|your|ur|their|his|"
	              "her|valid|legal|proper|current|immigration|the\\s+right)\\s+){0,3}"
	              "(?:papers|paperwork|documentation|documents|green\\s*cards?|visas?|"
	              "work\\s+(?:permits?|visas?|authorization)|residency|citizenship|status|"
	              "passports?|daca|tps|asylum)\\b"
	              "(?!\\s+(?:about|from|for|of|that|which|regarding|related|on|to|showing))"},
	{ASKS_PAPERS, "\\b(?:your|ur|their|his|her)\\s+(?:(?:immigration|legal|valid|residency|"
	              "citizenship|travel|work)\\s+)?(?:papers|green\\s*cards?|visas?|"
	              "work\\s+(?:permits?|visas?|authorization)|residency\\s+(?:cards?|permits?|"
	              "papers)|citizenship(?:\\s+(?:papers|documents|certificate))?|"
	              "naturali[sz]ation\\s+(?:papers|certificate)|alien\\s+(?:number|"
	              "registration(?:\\s+number)?)|a-?numbers?|i-?94|ead)\\b"},
	{ASKS_PAPERS, "\\b(?:immigration|legal|residency|citizenship|visa)\\s+(?:papers|paperwork|"
	              "documents|documentation|records?|file)\\b"},
	{ASKS_PAPERS, "\\bpapers(?=\\s*\\?)"},
	{ASKS_PAPERS, "\\b(?:show|bring|send|give|provide|present)\\s+(?:us\\s+|me\\s+)?(?:your|ur|"
	              "their|his|her|any)\\s+(?:documents|documentation|paperwork)\\b(?!\\s+"
	              "(?:about|from|for|of|that|regarding|related|on|showing|to|with|we|you))"},
	{ASKS_PAPERS, "\\bproof\\s+of\\s+(?:your\\s+)?(?:citizenship|status|legal\\s+(?:status|"
	              "residence|residency|presence)|residency|immigration|lawful)"},
	{ASKS_PAPERS, "\\bprove\\s+(?:that\\s+)?" WHO_EN "(?:'re|\\s+(?:are|is|were))\\s+"
	              "(?:here\\s+)?(?:legal|legally|a\\s+citizen|citizens|documented)"},
	{ASKS_PAPERS, "\\b(?:tiene|tienen|tienes|tenga|tengan|tengas|cuenta\\s+con|cuentas\\s+con|"
	              "cuentan\\s+con|posee)\\s+(?:(?:usted|ustedes|tu|su|sus|tus|la|los|las|algun|"
	              "alguna|algunos|algunas|una?)\\s+){0,2}(?:documentos?\\s+(?:migratorios?|"
	              "de\\s+inmigracion|legal(?:es)?|validos?)\\b|documentos\\b" NOT_ABOUT_ES "|"
	              "(?:papeles|green\\s*card|tarjeta\\s+(?:verde|de\\s+residen\\w+)|mica|"
	              "residencia(?:\\s+(?:legal|permanente))?|ciudadania|visas?|"
	              "permiso\\s+de\\s+trabajo|" SSN_ES "|pasaporte|estatus|estado\\s+legal|daca|tps|"
	              "asilo)\\b"
	              NOT_OF_ELSE_ES ")"},
	{ASKS_PAPERS, "\\b(?:su|sus|tu|tus)\\s+(?:papeles|green\\s*card|tarjeta\\s+(?:verde|"
	              "de\\s+residen\\w+)|mica|visas?|permiso\\s+de\\s+trabajo|ciudadania|"
	              "documentos\\s+(?:migratorios|de\\s+inmigracion|legales)|residencia\\s+"
	              "(?:legal|permanente))\\b" NOT_OF_ELSE_ES},
	{ASKS_PAPERS, "\\bpapeles(?=\\s*\\?)"},
	{ASKS_PAPERS, "\\b(?:traiga|traer|muestre|mostrar|ensene|ensenar|presente|presentar|"
	              "necesit\\w+|requier\\w+|pedimos|pido)\\s+(?:usted\\s+)?(?:sus|tus|los|"
	              "algun(?:os)?)\\s+(?:papeles|documentos)\\b" NOT_ABOUT_ES},
	{ASKS_PAPERS, "\\bprueba\\s+de\\s+(?:su\\s+)?(?:ciudadania|estatus|residencia(?:\\s+legal)?|"
	              "situacion\\s+migratoria|presencia\\s+legal)"},
	{ASKS_PAPERS, "\\bdemostrar\\s+(?:que\\s+)?(?:es|son|esta|estan)\\s+(?:aqui\\s+)?"
	              "(?:legal|ciudadan|documentad)"},
	/* Social security number, asked for (never "do not share your social security number"). */
	{ASKS_SSN, "\\b(?:what(?:\\s+is|'s|s)|send|give|provide|tell|share|need|require|include|"
	           "confirm|verify|bring|have|has|list|enter|write)\\s+(?:\\w+\\s+){0,2}?" SSN_EN},
	{ASKS_SSN, "\\b" SSN_EN "(?=\\s*\\?)"},
	{ASKS_SSN, "\\b(?:cual\\s+es|envie\\w*|mande\\w*|mandar|enviar|de(?:me|nos)|dar(?:nos|me)?|"
	           "proporcione\\w*|proporcionar|necesit\\w+|requier\\w+|requerimos|tiene|tienen|"
	           "tienes|tenga|traiga|indique\\w*|diga\\w*|confirme\\w*|escrib\\w+|comparta\\w*|"
	           "compartir|pedir|pedimos)\\s+(?:\\w+\\s+){0,2}?" SSN_ES},
	{ASKS_SSN, "\\b" SSN_ES "(?=\\s*\\?)"},
	/* How or when someone came in; overstaying. */
	{ASKS_ENTRY, "\\bhow\\s+did\\s+" WHO_EN "\\s+(?:\\w+\\s+)?(?:come|get|enter|arrive|cross|"
	             "make\\s+it)\\s+(?:in)?to\\s+" COUNTRY_EN},
	{ASKS_ENTRY, "\\b(?:did|do|does)\\s+" WHO_EN "\\s+(?:\\w+\\s+)?(?:come|enter|cross|arrive|"
	             "get\\s+here|stay|overstay)\\b(?:\\s+[\\w.]+){0,4}?\\s+(?:legally|illegally|"
	             "lawfully|unlawfully|with(?:out)?\\s+(?:a\\s+)?(?:visa|papers|documents|"
	             "inspection|permission))\\b"},
	{ASKS_ENTRY, "\\boverstay\\w*\\s+(?:(?:your|their|his|her|a|the)\\s+)?visa"},
	{ASKS_ENTRY, "\\bwhen\\s+did\\s+" WHO_EN "\\s+(?:\\w+\\s+)?(?:come|move|arrive|immigrate|"
	             "get)\\s+(?:here\\s+)?(?:(?:to|in|into)\\s+)?" COUNTRY_EN},
	{ASKS_ENTRY, "\\bhow\\s+long\\s+have\\s+" WHO_EN "\\s+(?:been|lived|stayed)\\s+"
	             "(?:here\\s+)?in\\s+" COUNTRY_EN},
	{ASKS_ENTRY, "\\b(?:como|cuando)\\s+(?:entro|entraste|entraron|llego|llegaste|llegaron|"
	             "vino|viniste|vinieron|cruzo|cruzaste|cruzaron|paso|pasaste|pasaron)\\s+"
	             "(?:usted\\s+|ustedes\\s+|tu\\s+)?(?:a|al|en|por)\\s+(?:la\\s+frontera|"
	             PAIS_ES "|pais)"},
	{ASKS_ENTRY, "\\b(?:entro|entraste|entraron|llego|llegaste|llegaron|vino|viniste|vinieron|"
	             "cruzo|cruzaste|cruzaron)\\s+(?:usted\\s+|ustedes\\s+)?(?:\\w+\\s+){0,3}?"
	             "(?:(?:legal|ilegal)(?:mente)?|(?:con|sin)\\s+(?:visa|papeles|documentos|"
	             "permiso))\\b"},
	{ASKS_ENTRY, "\\bcuanto\\s+tiempo\\s+(?:lleva|llevas|llevan|tiene|tienes|ha\\s+estado|"
	             "has\\s+estado|han\\s+estado|ha\\s+vivido|has\\s+vivido)\\s+(?:usted\\s+)?"
	             "(?:viviendo\\s+|aqui\\s+)?en\\s+" PAIS_ES},
	{ASKS_ENTRY, "\\bvenci\\w*\\s+(?:su|tu)\\s+(?:visa|permiso)"},
	/* Nationality, country of origin, birthplace. */
	{ASKS_ORIGIN, "\\bwhat\\s+(?:country|nationality)\\s+(?:are|is|were|was)\\s+" WHO_EN},
	{ASKS_ORIGIN, "\\b(?:your|ur|their|his|her)\\s+(?:nationality|country\\s+of\\s+(?:origin|"
	              "birth|citizenship)|place\\s+of\\s+birth|birthplace|home\\s+country)\\b"},
	{ASKS_ORIGIN, "\\b(?:where|what\\s+country)\\s+(?:were|was)\\s+" WHO_EN "\\s+born\\b"},
	{ASKS_ORIGIN, "\\b(?:were|was)\\s+" WHO_EN "\\s+born\\s+(?:here|in\\s+" COUNTRY_EN ")"},
	{ASKS_ORIGIN, "\\bwhere\\s+(?:are|is)\\s+" WHO_EN "\\s+(?:originally|really)\\s+from\\b"},
	{ASKS_ORIGIN, "\\bde\\s+(?:que|cual)\\s+pais\\s+(?:es|eres|son|viene|vienes|vienen|"
	              "proviene|provienen)\\b"},
	{ASKS_ORIGIN, "\\bde\\s+donde\\s+(?:es|eres|son)\\s+(?:usted\\s+)?(?:originari[oa]s?|"
	              "originalmente)"},
	{ASKS_ORIGIN, "\\b(?:su|tu)\\s+(?:nacionalidad|pais\\s+de\\s+(?:origen|nacimiento)|"
	              "lugar\\s+de\\s+nacimiento)\\b"},
	{ASKS_ORIGIN, "\\bdonde\\s+(?:nacio|naciste|nacieron)\\b"},
	{ASKS_ORIGIN, "\\b(?:nacio|naciste|nacieron)\\s+(?:usted\\s+|ustedes\\s+)?(?:aqui|en\\s+"
	              PAIS_ES ")"},
	/* The words of status themselves. */
	{NAMES_STATUS, "\\b(?:immigration|migration|migratory|visa|residency|citizenship|daca|tps|"
	               "legal)\\s+status\\b"},
	{NAMES_STATUS, "\\bgreen\\s*cards?\\b"},
	{NAMES_STATUS, "\\bundocumented\\b"},
	{NAMES_STATUS, "\\billegal\\s+(?:immigrants?|aliens?|immigration)\\b|\\billegals\\b"},
	{NAMES_STATUS, "\\bwithout\\s+(?:legal\\s+)?(?:papers|status)\\b"},
	{NAMES_STATUS, "\\b(?:estatus|estado|situacion|condicion)\\s+(?:migratori[oa]|"
	               "inmigratori[oa])\\b"},
	{NAMES_STATUS, "\\bestatus\\s+(?:legal|de\\s+(?:inmigracion|inmigrante|residencia|"
	               "ciudadania))\\b"},
	{NAMES_STATUS, "\\bindocumentad[oa]s?\\b|\\bsin\\s+(?:papeles|documentos)\\b|"
	               "\\btarjeta\\s+verde\\b"},
	/* Reassurances: we never ask; it does not matter; even if. */
	{REASSURANCE, "(?:\\bnever|\\bnot|n't|\\bdont|\\bdoesnt|\\bwont|\\bcant|\\bno\\s+one|"
	              "\\bnobody|\\bno\\s+need\\s+to)\\s+(?:\\w+\\s+){0,3}?(?:ask|asks|asking|asked|"
	              "inquire|inquires|question|require|requires|required|need|needs|needed|check|"
	              "checks|request|requests|want|wants|care|cares|give|share|shares|send|"
	              "provide|collect|collects|record|records|report|reports|affect|affects|"
	              "matter|matters|show|tell|prove|disclose|reveal|worry|fear|depend|depends|"
	              "look|looks)\\s+(?:\\w+\\s+){0,3}?" TOPICS_EN},
	{REASSURANCE, "\\b(?:regardless\\s+of|irrespective\\s+of|no\\s+matter(?:\\s+what)?|"
	              "whatever|whether\\s+or\\s+not|even\\s+if|even\\s+without|with\\s+or\\s+without|"
	              "independent(?:ly)?\\s+of|without\\s+regard\\s+(?:to|for)|without\\s+asking"
	              "(?:\\s+(?:about|for))?)\\s+(?:\\w+\\s+){0,3}?" TOPICS_EN},
	{REASSURANCE, TOPICS_EN "\\s+(?:is|are|was|were|does|do|will|would|should|can|could)\\s*"
	              "(?:not|n't)\\s+(?:\\w+\\s+){0,2}?(?:matter|relevant|affect\\w*|asked|required|"
	              "needed|our\\s+concern|an?\\s+(?:issue|problem|factor|question)|shared|"
	              "reported|recorded|come\\s+up|part|change|(?:something|anything)\\s+(?:we|i|"
	              "our\\s+\\w+|liaisons|officers|the\\s+police)\\s+(?:\\w+\\s+)?(?:ask|check|"
	              "need|record))"},
	{REASSURANCE, "\\b(?:no|nunca|jamas|nadie|ni)\\s+(?:\\w+\\s+){0,3}?(?:pregunt\\w*|pid\\w*|"
	              "pedi\\w*|pedir\\w*|exig\\w*|requ[ie]r\\w*|necesit\\w*|import\\w*|compart\\w*|"
	              "revis\\w*|verific\\w*|report\\w*|afect\\w*|depend\\w*|muestr\\w*|mostrar|"
	              "ensen\\w*|dar|den|des|envi\\w*|mand\\w*|preocup\\w*|averigu\\w*|investig\\w*|"
	              "tien\\w*\\s+que\\s+(?:mostrar|decir|dar|presentar|ensenar|compartir|probar|"
	              "demostrar)\\w*)\\s+(?:\\w+\\s+){0,3}?" TOPICS_ES},
	{REASSURANCE, "\\b(?:sin\\s+importar|independientemente\\s+de|no\\s+importa|aunque|"
	              "aun\\s+si|aun\\s+cuando|incluso\\s+si|incluso\\s+sin|tenga\\s+o\\s+no|"
	              "tengan\\s+o\\s+no|tiene\\s+o\\s+no|sea\\s+o\\s+no|sean\\s+o\\s+no|"
	              "este\\s+o\\s+no|con\\s+o\\s+sin|sin\\s+preguntar\\w*(?:\\s+(?:por|sobre))?|"
	              "cualquiera\\s+que\\s+sea)\\s+(?:\\w+\\s+){0,4}?" TOPICS_ES},
	{REASSURANCE, TOPICS_ES "\\s+(?:no|nunca)\\s+(?:\\w+\\s+){0,2}?(?:importa|es\\s+"
	              "(?:relevante|un\\s+problema|un\\s+factor|asunto\\s+nuestro)|afecta\\w*|"
	              "nos\\s+interesa|se\\s+(?:pregunta|comparte|reporta|revisa)|cuenta)"},
};
#define N_PATTERNS (sizeof(patterns) / sizeof(*patterns))

/* ---- searching --------------------------------------------------------------------------- */

/* The correspondent's words quoted in the reply ("> ...") are not the liaison's: blanked in
 * the folded text (offsets stay). */
static void blank_quoted_lines(char *text, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t lead = i;
		while (lead < len && (text[lead] == ' ' || text[lead] == '\t'))
			lead++;
		size_t end = lead;
		while (end < len && text[end] != '\n')
			end++;
		if (lead < len && text[lead] == '>')
			memset(text + i, ' ', end - i);
		i = end + 1;
	}
}

static enum rule_id rule_of(const struct pattern_span *sp)
{
	return patterns[sp->index].rule;
}

static int inside_reassurance(const struct pattern_span *v, size_t n,
                              const struct pattern_span *hit)
{
	for (size_t i = 0; i < n; i++)
		if (rule_of(&v[i]) == REASSURANCE && v[i].start <= hit->start && hit->end <= v[i].end)
			return 1;
	return 0;
}

static void hit_add(struct policy_hits *hits, const char *text, const struct textfold *fold,
                    const struct pattern_span *sp)
{
	size_t start, end;
	textfold_origin(fold, sp->start, sp->end, &start, &end);
	hits->v = xrealloc(hits->v, (hits->n + 1) * sizeof(*hits->v));
	hits->v[hits->n++] = (struct policy_hit){
		.phrase = xstrndup(text + start, end - start),
		.offset = start,
		.length = end - start,
		.rule = rules[rule_of(sp)].name,
		.why = rules[rule_of(sp)].why,
	};
}

/* The spans (in text order, the longer last at one start) that are hits: not reassurances,
 * not inside one, and where several overlap the first and, at one start, the longest. */
static void keep_hits(const struct pattern_span *v, size_t n, const char *text,
                      const struct textfold *fold, struct policy_hits *hits)
{
	size_t kept_end = 0;
	const struct pattern_span *pending = NULL; /* the longest yet at its start */
	for (size_t i = 0; i <= n; i++) {
		const struct pattern_span *sp = i < n ? &v[i] : NULL;
		if (sp != NULL && (rule_of(sp) == REASSURANCE || inside_reassurance(v, n, sp)))
			continue;
		if (pending != NULL && (sp == NULL || sp->start != pending->start) &&
		    pending->start >= kept_end) {
			hit_add(hits, text, fold, pending);
			kept_end = pending->end;
		}
		pending = sp;
	}
}

int ops_policy_check(const char *text, struct policy_hits *hits_r, char **error_r)
{
	memset(hits_r, 0, sizeof(*hits_r));
	text = text ? text : "";
	struct pattern_needle needles[N_PATTERNS];
	for (size_t i = 0; i < N_PATTERNS; i++)
		needles[i] = (struct pattern_needle){patterns[i].pattern, 0};
	struct pattern_finder *finder = NULL;
	char *why = NULL;
	if (pattern_finder_new(needles, N_PATTERNS, &finder, &why) < 0)
		abort(); /* the patterns are the program's own: one that does not compile is a bug */
	struct textfold fold;
	textfold_make(text, strlen(text), &fold);
	blank_quoted_lines(fold.text, fold.len);
	struct pattern_span *v = NULL;
	size_t n = 0;
	int rc = pattern_finder_spans(finder, fold.text, fold.len, &v, &n, &why);
	if (rc < 0) {
		*error_r = xasprintf("the text could not be checked for questions about immigration "
		                     "status: %s", why);
		free(why);
	} else {
		keep_hits(v, n, text, &fold, hits_r);
	}
	free(v);
	textfold_free(&fold);
	pattern_finder_free(&finder);
	return rc < 0 ? OPS_FAILED : (int)hits_r->n;
}

/* ---- describing ---------------------------------------------------------------------------- */

/* Phrases are shown whole up to this many bytes: enough for any rule's words. */
#define PHRASE_SHOWN 80

static char *phrase_shown(const char *phrase)
{
	char *one_line = template_clean_value(phrase);
	size_t n = strlen(one_line);
	if (n > PHRASE_SHOWN) {
		n = PHRASE_SHOWN;
		while (n > 0 && ((unsigned char)one_line[n] & 0xC0) == 0x80)
			n--; /* never inside a character */
		one_line[n] = '\0';
	}
	return one_line;
}

char *ops_policy_describe(const struct policy_hits *hits, int explain)
{
	struct buf b;
	buf_init(&b, SIZE_MAX);
	for (size_t i = 0; i < hits->n; i++) {
		char *shown = phrase_shown(hits->v[i].phrase);
		buf_addf(&b, "%s'%s' (%s)", i ? "; " : "", shown,
		         explain ? hits->v[i].why : hits->v[i].rule);
		free(shown);
	}
	return buf_steal(&b, NULL);
}

void ops_policy_hits_free(struct policy_hits *hits)
{
	for (size_t i = 0; i < hits->n; i++)
		free(hits->v[i].phrase);
	free(hits->v);
	memset(hits, 0, sizeof(*hits));
}
