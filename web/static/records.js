// records.js: the records office's screens (nothing yet)
