#!/usr/bin/env node
// The `lindung` executable: a committed launcher, so that npm links it at install time, before the build.
import "../dist/bin.js"
