@echo off
rem kubetray: KubeTray's exec credential client (drop-in for `kubelogin get-token`).
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\kubetray-app.exe" "%~dp0..\app.asar\dist\shared\cli\main.js" %*
exit /b %ERRORLEVEL%
