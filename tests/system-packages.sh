#!/usr/bin/env bash
# What the tests need from Debian: Chromium and ChromeDriver (real-browser tests), Virtuoso
# (a remote backend with system graphs, bif: functions and a row cap) and LibreOffice Calc
# (an independent producer of the workbooks and CSV files a clerk's spreadsheet writes) and
# LibreOffice Writer (turns kg report's HTML into DOCX and PDF) and
# nginx (serves the static export, as a web host would), npm (fetches axe-core, the
# accessibility engine the browser tests inject into pages, and Comunica) and Java (runs
# HermiT, the OWL reasoner that checks the ontology) and Redis (the per-client limits shared
# by every process). Installed
# with apt-get when missing and this runs as root; otherwise one line says what to install.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource-7-bin)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
# Writer: kg report converts its HTML to DOCX and PDF (tests/test_report.py)
[ -e /usr/lib/libreoffice/program/libswlo.so ] || need+=(libreoffice-writer-nogui)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ "${#need[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "The tests need Debian packages that are missing: ${need[*]} (install them as root)." >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
