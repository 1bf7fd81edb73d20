/* qr.h — QR codes as SVG, for the web console's TOTP enrolment (the otpauth:// URI an
 * authenticator app scans).  libqrencode behind one module: nothing else includes
 * qrencode.h. */
#ifndef LIAISON_QR_H
#define LIAISON_QR_H

/* text (any bytes up to a NUL, at most about 2,300 at error correction level M) as a
 * standalone SVG document: the dark modules as one <path> on a white square with a quiet
 * zone of 4 modules on every side, role="img" and a <title> of title (escaped; NULL: "QR
 * code") for screen readers.  The viewBox counts modules, so the image scales without
 * blurring.  Returns a new string (caller frees), or NULL when text is too long for a QR
 * code or is empty. */
char *qr_svg(const char *text, const char *title);

#endif
