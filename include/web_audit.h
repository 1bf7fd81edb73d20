/* web_audit.h — the audit trail with its filters (user, thread, operation, dates) and its verification: GET /audit, POST /audit/REST. */
#ifndef LIAISON_WEB_AUDIT_H
#define LIAISON_WEB_AUDIT_H

#include "web_page.h"

void web_audit_page(struct web_ctx *c, const char *rest);
void web_audit_action(struct web_ctx *c, const char *rest);

#endif
