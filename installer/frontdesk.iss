; Inno Setup script: the FrontDesk installer for Windows (Inno Setup 6.3 or later).
;
; Build the bundle first (installer\frontdesk.spec → dist\FrontDesk\), then, from the checkout:
;     iscc /DAppVersion=0.1.0 installer\frontdesk.iss
; The installer is written to dist\FrontDesk-<version>-setup.exe. The wizard is in Chinese when
; installer\ChineseSimplified.isl is present (Inno Setup's unofficial translation; the Windows
; workflow downloads it), otherwise in English.
;
; Per-user by default: no administrator rights, installed to %LOCALAPPDATA%\Programs\FrontDesk;
; the first page offers "install for all users" to an administrator (PrivilegesRequiredOverridesAllowed).
; The program's data (database, backups, log) is NOT in the installation folder: it lives in
; %LOCALAPPDATA%\FrontDesk of each user (frontdesk/paths.py). An upgrade replaces the program's
; files only, and the program migrates the database on its next start; the uninstaller removes
; the program's files only and says where the data stays.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "FrontDesk 前台值班台"
#define AppExe "frontdesk.exe"
#define BundleDir "..\dist\FrontDesk"

[Setup]
; The AppId ties every version together: an upgrade finds the previous installation by it. Never change it.
AppId={{D7FCE694-C5A6-4EBB-B184-73E34B277661}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=FrontDesk
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\FrontDesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile=..\resources\frontdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\dist
OutputBaseFilename=FrontDesk-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Chinese whatever the language of Windows (as the program itself), when the messages are there.
ShowLanguageDialog=no
LanguageDetectionMethod=none
; A running FrontDesk is closed (and its database with it) before its files are replaced.
CloseApplications=yes
RestartApplications=no

[Languages]
#ifexist "ChineseSimplified.isl"
Name: "chs"; MessagesFile: "ChineseSimplified.isl"
#endif
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
#ifexist "ChineseSimplified.isl"
chs.DesktopIcon=在桌面上创建快捷方式
chs.StartNow=启动 FrontDesk 前台值班台
chs.CommandLine=FrontDesk 命令行
chs.DataKept=FrontDesk 程序已卸载。%n%n数据库、备份和日志没有删除，仍在：%n%1%n%n重新安装后程序会继续使用它们。确实不再需要时，可以手动删除这个文件夹。
#endif
en.DesktopIcon=Create a desktop shortcut
en.StartNow=Start FrontDesk
en.CommandLine=FrontDesk command line
en.DataKept=FrontDesk has been uninstalled.%n%nThe database, its backups and the log were kept in:%n%1%n%nA new installation uses them again. Delete that folder yourself if they are no longer needed.

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: no library of an older version stays behind.
; (Only the program's folder: the data lives in %LOCALAPPDATA%\FrontDesk, see above.)
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon
; A console in the program's folder for the command line (frontdesk-cli --help).
Name: "{autoprograms}\{cm:CommandLine}"; Filename: "{cmd}"; Parameters: "/k ""{app}\frontdesk-cli.exe"" --help"; WorkingDir: "{app}"

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:StartNow}"; Flags: nowait postinstall skipifsilent

[Code]
// The uninstaller removes only what the installer put in {app}; the user's data stays.
// Where FrontDesk keeps its data: platformdirs' user_data_dir("FrontDesk") (frontdesk/paths.py).
function DataFolder(): String;
begin
  Result := ExpandConstant('{localappdata}\FrontDesk');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DirExists(DataFolder()) and not UninstallSilent() then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [DataFolder()]), mbInformation, MB_OK);
end;
