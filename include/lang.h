/* lang.h — which language to answer in: Spanish, English, or both when unsure. */
#ifndef LIAISON_LANG_H
#define LIAISON_LANG_H

/* Returns "es", "en" or "both" (static strings) for a message's subject and text (UTF-8,
 * either may be NULL).  Quoted lines ("> ...") are ignored: a reply quoting our English
 * auto-reply is still Spanish.  Short or mixed messages give "both". */
const char *lang_detect(const char *subject, const char *text);

#endif
