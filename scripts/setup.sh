#!/usr/bin/env bash
# 一次性环境准备（Debian 12 + Python 3.11），可重复运行：已就绪的步骤会跳过。
#
#   bash scripts/setup.sh
#
# 1. 系统库与字体包（WeasyPrint 所需的 Pango/HarfBuzz、fontconfig、Noto CJK、poppler），
#    以及网页工作台和网站测试所用的 Debian Chromium 和 chromedriver
# 2. Fandol 开源字体（仿宋、楷体、黑体、宋体），代替未安装的公文标准字体
# 3. fontconfig 别名：仿宋_GB2312、方正小标宋简体等标准字体名指向同风格的开源字体
# 4. 项目虚拟环境 .venv 及依赖
#
# 环境变量：
#   FANDOL_DEB   已下载的 texlive-lang-chinese_*.deb 路径（离线时使用，免去下载）
#   PYTHON       创建虚拟环境所用的解释器（默认 python3.11）
set -euo pipefail

readonly REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ALIAS_CONF_NAME="65-gbt9704-official-faces.conf"
# chromium and chromium-driver: the site's test at phone width (tests/test_site.py)
# and scripts/site_screenshots.py; Debian's browser, never a downloaded one.
readonly APT_PACKAGES=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  fontconfig fonts-noto-cjk poppler-utils
  # tests/web/test_browser.py drives `bulletin serve` in Debian's own Chromium
  # (/usr/bin/chromium, /usr/bin/chromedriver); no browser is ever downloaded.
  chromium chromium-driver
)
# The four Fandol styles plus the bold Song/Hei files; the Braille faces are not needed.
readonly FANDOL_FILES=(
  FandolFang-Regular.otf FandolKai-Regular.otf
  FandolHei-Regular.otf FandolHei-Bold.otf
  FandolSong-Regular.otf FandolSong-Bold.otf
)
readonly FANDOL_DEB_DIR="usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"
PYTHON="${PYTHON:-python3.11}"

say() { printf '[setup] %s\n' "$*"; }
fail() { printf '[setup] 错误：%s\n' "$*" >&2; exit 1; }

# Run a command with root rights: directly as root, through sudo otherwise.
AS_ROOT=()
CAN_BE_ROOT=false
if [[ ${EUID} -eq 0 ]]; then
  CAN_BE_ROOT=true
elif command -v sudo >/dev/null 2>&1; then
  AS_ROOT=(sudo)
  CAN_BE_ROOT=true
fi
as_root() { "${AS_ROOT[@]}" "$@"; }

# System-wide installs need root; without it fonts and config go to the user's home.
if ${CAN_BE_ROOT}; then
  FONT_DIR="/usr/local/share/fonts/fandol"
  FONTCONFIG_DIR="/etc/fonts/conf.d"
else
  FONT_DIR="${HOME}/.local/share/fonts/fandol"
  FONTCONFIG_DIR="${XDG_CONFIG_HOME:-${HOME}/.config}/fontconfig/conf.d"
fi
install_file() {  # install_file SOURCE TARGET_DIR [MODE]
  if ${CAN_BE_ROOT}; then
    as_root install -D -m "${3:-644}" "$1" "$2/$(basename "$1")"
  else
    install -D -m "${3:-644}" "$1" "$2/$(basename "$1")"
  fi
}

APT_UPDATED=false
apt_update_once() {
  if ! ${APT_UPDATED}; then
    say "更新软件源索引（apt-get update）……"
    as_root apt-get update -qq
    APT_UPDATED=true
  fi
}

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

install_system_packages() {
  local wanted=("${APT_PACKAGES[@]}") missing=() package
  # Debian's python3.11 lacks ensurepip (and so venv) until python3-venv is installed.
  if ! "${PYTHON}" -c 'import ensurepip' >/dev/null 2>&1; then
    wanted+=(python3-venv)
  fi
  for package in "${wanted[@]}"; do
    is_installed "${package}" || missing+=("${package}")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    say "系统软件包已齐全，跳过 apt。"
    return
  fi
  ${CAN_BE_ROOT} || fail "缺少软件包 ${missing[*]}，需要 root 或 sudo 才能安装。"
  apt_update_once
  say "安装系统软件包：${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

fandol_installed() {
  local file
  for file in "${FANDOL_FILES[@]}"; do
    [[ -s "${FONT_DIR}/${file}" ]] || return 1
  done
}

# Sets FANDOL_DEB_PATH: $FANDOL_DEB when given, else a fresh download into $1.
# (A global rather than output: apt_update_once must remember it has run.)
FANDOL_DEB_PATH=""
fetch_fandol_deb() {
  local workdir="$1"
  if [[ -n "${FANDOL_DEB:-}" ]]; then
    [[ -f "${FANDOL_DEB}" ]] || fail "FANDOL_DEB 指向的文件不存在：${FANDOL_DEB}"
    FANDOL_DEB_PATH="${FANDOL_DEB}"
    return
  fi
  say "下载 texlive-lang-chinese（约 50 MB，仅取其中的 Fandol 字体）……"
  # apt drops to its _apt user to download; as root, let that user write here
  # (otherwise apt warns that it downloads unsandboxed).
  if [[ ${EUID} -eq 0 ]] && id _apt >/dev/null 2>&1; then
    chown _apt "${workdir}"
  fi
  if ! (cd "${workdir}" && apt-get download -qq texlive-lang-chinese); then
    ${CAN_BE_ROOT} || fail "下载 texlive-lang-chinese 失败（无 root，无法更新软件源索引）。"
    apt_update_once
    (cd "${workdir}" && apt-get download -qq texlive-lang-chinese) \
      || fail "下载 texlive-lang-chinese 失败；可先手动下载，再以 FANDOL_DEB=路径 运行本脚本。"
  fi
  FANDOL_DEB_PATH="$(ls "${workdir}"/texlive-lang-chinese_*.deb)"
}

FONTS_CHANGED=false
WORKDIR=""
cleanup() { if [[ -n "${WORKDIR}" ]]; then rm -rf "${WORKDIR}"; fi; }
trap cleanup EXIT

install_fandol_fonts() {
  if fandol_installed; then
    say "Fandol 字体已在 ${FONT_DIR}，跳过。"
    return
  fi
  local file
  WORKDIR="$(mktemp -d)"
  fetch_fandol_deb "${WORKDIR}"
  say "解出 Fandol 字体到 ${FONT_DIR}"
  mkdir -p "${WORKDIR}/root"
  dpkg-deb -x "${FANDOL_DEB_PATH}" "${WORKDIR}/root"
  for file in "${FANDOL_FILES[@]}"; do
    [[ -f "${WORKDIR}/root/${FANDOL_DEB_DIR}/${file}" ]] || fail "软件包中没有 ${file}"
    install_file "${WORKDIR}/root/${FANDOL_DEB_DIR}/${file}" "${FONT_DIR}"
  done
  FONTS_CHANGED=true
}

install_alias_config() {
  local source="${REPO_ROOT}/supervision_bulletin/fonts/${ALIAS_CONF_NAME}"
  local target="${FONTCONFIG_DIR}/${ALIAS_CONF_NAME}"
  if [[ -f "${target}" ]] && cmp -s "${source}" "${target}"; then
    say "字体别名配置已是最新：${target}"
    return
  fi
  say "安装字体别名配置：${target}"
  install_file "${source}" "${FONTCONFIG_DIR}"
  FONTS_CHANGED=true
}

refresh_font_cache() {
  say "刷新字体缓存（fc-cache）……"
  if ${CAN_BE_ROOT}; then as_root fc-cache -f; else fc-cache -f; fi
}

# Official name → the stand-in's PostScript name expected when the official face is absent.
readonly EXPECTED_FACES=(
  "仿宋_GB2312=FandolFang-Regular"
  "楷体_GB2312=FandolKai-Regular"
  "黑体=FandolHei-Regular"
  "宋体=FandolSong-Regular"
  "方正小标宋简体=FandolSong-Bold"
)

# fc-match always answers something: accept only the official face itself or its stand-in.
# Prints "official → face" lines; returns 1 when any answer is wrong.
probe_font_aliases() {
  local entry official expected face families status=0
  for entry in "${EXPECTED_FACES[@]}"; do
    official="${entry%%=*}"
    expected="${entry#*=}"
    face="$(fc-match -f '%{postscriptname}' "${official}")"
    families="$(fc-match -f '%{family}' "${official}")"
    if [[ "${face}" == "${expected}" || ",${families}," == *",${official},"* ]]; then
      say "  ${official} → ${face}"
    else
      say "  ${official} → ${face}（应为 ${expected}）"
      status=1
    fi
  done
  return "${status}"
}

check_font_aliases() {
  say "核对字体映射："
  if probe_font_aliases; then return; fi
  # A cache left stale by an interrupted run misses the Bold renaming: rebuild once.
  refresh_font_cache
  probe_font_aliases || fail "字体映射不正确，见上。"
}

setup_virtualenv() {
  local venv="${REPO_ROOT}/.venv"
  local stamp="${venv}/.setup-stamp"
  if [[ ! -x "${venv}/bin/python" ]]; then
    command -v "${PYTHON}" >/dev/null 2>&1 || fail "找不到 ${PYTHON}（需要 Python 3.11）。"
    say "创建虚拟环境 ${venv}"
    "${PYTHON}" -m venv "${venv}"
  fi
  if [[ -f "${stamp}" && "${stamp}" -nt "${REPO_ROOT}/pyproject.toml" && "${stamp}" -nt "${REPO_ROOT}/requirements.lock" ]]; then
    say "Python 依赖已是最新，跳过 pip。"
    return
  fi
  # The exact versions the layout checks were measured with (requirements.lock, hashed),
  # then the project itself on top of them.
  say "安装 Python 依赖（requirements.lock，逐个核对哈希）……"
  "${venv}/bin/python" -m pip install -q --require-hashes -r "${REPO_ROOT}/requirements.lock"
  "${venv}/bin/python" -m pip install -q --no-deps -e "${REPO_ROOT}"
  "${venv}/bin/python" -m pip install -q nox  # the test runner, with its own dependencies
  touch "${stamp}"
}

main() {
  cd "${REPO_ROOT}"
  install_system_packages
  install_fandol_fonts
  install_alias_config
  # The scan rule that renames the Bold files only takes effect when the cache is rebuilt.
  if ${FONTS_CHANGED}; then refresh_font_cache; fi
  check_font_aliases
  setup_virtualenv
  say "完成。"
}

main "$@"
