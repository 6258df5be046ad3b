#!/usr/bin/env node
import "../dist/zcrm-sharing.js";
